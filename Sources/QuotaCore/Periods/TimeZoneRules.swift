// The only file in QuotaCore that uses Foundation: it reads the IANA time zone database.
import Foundation

/// A validated IANA time zone (for example `Europe/Berlin`) whose UTC offsets place calendar periods.
///
/// Equality and hashing use the ``identifier`` exactly as given, so `UTC` and `Etc/UTC` are
/// different values even though their rules agree.
public struct TimeZoneRules: Hashable, Sendable {
    /// Coordinated Universal Time: offset 0 at every instant. The default zone of a ``PeriodSpec``.
    public static let utc = TimeZoneRules(identifier: "UTC", zone: TimeZone(secondsFromGMT: 0)!)

    /// The zone identifier exactly as given, for example `America/New_York` or `UTC`.
    public let identifier: String

    private let zone: TimeZone

    /// Looks up a zone in the time zone database.
    ///
    /// - Parameter identifier: An IANA zone name such as `Asia/Kolkata`, or `UTC`. Case-sensitive.
    /// - Throws: ``QuotaError`` with code ``QuotaError/Code/invalidArgument`` when `identifier` is empty
    ///   or names no known zone.
    public init(identifier: String) throws {
        guard !identifier.isEmpty else {
            throw QuotaError.invalidArgument("time zone must not be empty")
        }
        guard let zone = TimeZone(identifier: identifier) else {
            throw QuotaError.invalidArgument("unknown time zone '\(identifier)'")
        }
        self.init(identifier: identifier, zone: zone)
    }

    private init(identifier: String, zone: TimeZone) {
        self.identifier = identifier
        self.zone = zone
    }

    /// The UTC offset in milliseconds in effect at `instant` (ms since the epoch, UTC):
    /// local wall time = `instant + offset`. Positive east of Greenwich.
    public func offsetMilliseconds(at instant: Timestamp) -> Int64 {
        let date = Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000)
        return Int64(self.zone.secondsFromGMT(for: date)) * 1000
    }

    public static func == (lhs: TimeZoneRules, rhs: TimeZoneRules) -> Bool {
        lhs.identifier == rhs.identifier
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.identifier)
    }
}
