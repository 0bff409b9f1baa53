// The QuotaStorage module; see docs/architecture.md.
