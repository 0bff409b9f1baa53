// The QuotaTransport module; see docs/architecture.md.
