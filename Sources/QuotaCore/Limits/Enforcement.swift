/// What happens when usage would pass a limit.
public enum Enforcement: String, CaseIterable, Hashable, Sendable, Codable {
    /// Deny a consume that would take usage above the limit; apply nothing.
    case hard
    /// Allow it, and report `exceeded` with the overage.
    case soft
    /// Track only; never deny.
    case none

    /// Parses a policy name.
    ///
    /// - Throws: ``QuotaError/Code/invalidArgument`` for any name other than `hard`, `soft` or `none`.
    public init(parsing name: String) throws {
        guard let value = Enforcement(rawValue: name) else {
            throw QuotaError.invalidArgument("unknown enforcement '\(name)'; expected one of hard, soft, none")
        }
        self = value
    }
}
