/// Formats and parses RFC 3339 timestamps in UTC (`2026-01-31T00:00:00.000Z`).
///
/// Pure integer arithmetic over the proleptic Gregorian calendar (see ``CivilDate``); no Foundation.
public enum RFC3339 {
    /// Formats `timestamp` as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public static func format(_ timestamp: Timestamp) -> String {
        let ms = timestamp.millisecondsSinceEpoch
        let days = floorDiv(ms, 86_400_000)
        let msOfDay = ms - days * 86_400_000
        let date = CivilDate(daysSinceEpoch: days)
        let hour = msOfDay / 3_600_000
        let minute = (msOfDay / 60_000) % 60
        let second = (msOfDay / 1000) % 60
        let millis = msOfDay % 1000
        return "\(pad(date.year, 4))-\(pad(Int64(date.month), 2))-\(pad(Int64(date.day), 2))T"
            + "\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(millis, 3))Z"
    }

    /// Parses an RFC 3339 timestamp with a `Z` or `±HH:MM` offset and optional fractional seconds
    /// (digits past milliseconds are truncated).
    ///
    /// - Throws: ``QuotaError/Code/invalidArgument`` when `text` is not a valid RFC 3339 date-time.
    public static func parse(_ text: String) throws -> Timestamp {
        let bytes = Array(text.utf8)
        var index = 0
        func fail() -> QuotaError { .invalidArgument("'\(text)' is not an RFC 3339 date-time") }
        func digits(_ count: Int) throws -> Int64 {
            guard index + count <= bytes.count else { throw fail() }
            var value: Int64 = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { throw fail() }
                value = value * 10 + Int64(byte - 48)
                index += 1
            }
            return value
        }
        func expect(_ allowed: Set<UInt8>) throws -> UInt8 {
            guard index < bytes.count, allowed.contains(bytes[index]) else { throw fail() }
            index += 1
            return bytes[index - 1]
        }
        let year = try digits(4)
        _ = try expect([UInt8(ascii: "-")])
        let month = try digits(2)
        _ = try expect([UInt8(ascii: "-")])
        let day = try digits(2)
        _ = try expect([UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")])
        let hour = try digits(2)
        _ = try expect([UInt8(ascii: ":")])
        let minute = try digits(2)
        _ = try expect([UInt8(ascii: ":")])
        let second = try digits(2)
        var millis: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var count = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if count < 3 { millis = millis * 10 + Int64(bytes[index] - 48) }
                count += 1
                index += 1
            }
            guard count > 0 else { throw fail() }
            for _ in min(count, 3)..<3 { millis *= 10 }
        }
        var offsetMinutes: Int64 = 0
        let zone = try expect([UInt8(ascii: "Z"), UInt8(ascii: "z"), UInt8(ascii: "+"), UInt8(ascii: "-")])
        if zone == UInt8(ascii: "+") || zone == UInt8(ascii: "-") {
            let offsetHours = try digits(2)
            _ = try expect([UInt8(ascii: ":")])
            let offsetMins = try digits(2)
            guard offsetHours <= 23, offsetMins <= 59 else { throw fail() }
            offsetMinutes = (offsetHours * 60 + offsetMins) * (zone == UInt8(ascii: "-") ? -1 : 1)
        }
        guard index == bytes.count else { throw fail() }
        guard (1...12).contains(month), hour <= 23, minute <= 59, second <= 60 else { throw fail() }
        guard day >= 1, day <= Int64(CivilDate.daysInMonth(year: year, month: Int(month))) else { throw fail() }
        let days = CivilDate(year: year, month: Int(month), day: Int(day)).daysSinceEpoch
        let local = days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + min(second, 59) * 1000 + millis
        return Timestamp(millisecondsSinceEpoch: local - offsetMinutes * 60_000)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// Division rounding toward negative infinity, for times before the epoch.
@inlinable
func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
}
