import ArgumentParser

/// The values of `--distribution`.
public enum DistributionName: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// Every tenant equally often.
    case uniform
    /// Zipf's law over the tenants' ranks, exponent `--zipf-s`.
    case zipf
}

extension BenchProtocol: ExpressibleByArgument {}

extension LimitPeriod: ExpressibleByArgument {}

extension SetupAudit: ExpressibleByArgument {}
