// The QuotaWire module; see docs/architecture.md.
