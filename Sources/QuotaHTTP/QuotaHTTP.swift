// The QuotaHTTP module; see docs/architecture.md.
