// The QuotaNode module; see docs/architecture.md.
