/// The unit of a limit's periods.
///
/// `second`, `minute` and `hour` are fixed-length windows aligned to the Unix epoch in UTC;
/// `day`, `week`, `month` and `year` are calendar periods that begin at a local midnight in a
/// ``TimeZoneRules`` zone (see ``PeriodSpec``).
public enum PeriodUnit: String, CaseIterable, Sendable, Hashable {
    /// 1 000 ms windows aligned to the epoch.
    case second
    /// 60 000 ms windows aligned to the epoch.
    case minute
    /// 3 600 000 ms windows aligned to the epoch in UTC, whatever the zone.
    case hour
    /// Local midnight to the next local midnight (23, 24 or 25 hours around DST changes).
    case day
    /// ISO 8601 week: Monday local midnight to the next Monday local midnight.
    case week
    /// A monthly billing cycle starting at local midnight on the anchor day (default the 1st).
    case month
    /// A yearly billing cycle starting at local midnight on the anchor date (default January 1).
    case year

    /// Parses a unit from its lowercase name, for example `"minute"`.
    ///
    /// - Parameter name: One of `second`, `minute`, `hour`, `day`, `week`, `month`, `year`;
    ///   matching is exact (case-sensitive, no surrounding whitespace).
    /// - Throws: ``QuotaError`` with code ``QuotaError/Code/invalidArgument`` when `name` is not a unit name.
    public init(parsing name: String) throws {
        guard let unit = PeriodUnit(rawValue: name) else {
            let expected = PeriodUnit.allCases.map(\.rawValue).joined(separator: ", ")
            throw QuotaError.invalidArgument("unknown period '\(name)'; expected one of \(expected)")
        }
        self = unit
    }

    /// The window length in milliseconds for the fixed-length units (`second`, `minute`, `hour`),
    /// `nil` for the calendar units.
    var fixedLengthMilliseconds: Int64? {
        switch self {
        case .second: 1000
        case .minute: 60_000
        case .hour: 3_600_000
        case .day, .week, .month, .year: nil
        }
    }
}
