import Testing

@testable import QuotaCore

@Suite("RFC 3339")
struct RFC3339Tests {
    static let known: [(String, Int64)] = [
        ("1970-01-01T00:00:00.000Z", 0),
        ("1970-01-01T00:00:00.001Z", 1),
        ("1969-12-31T23:59:59.999Z", -1),
        ("2000-02-29T12:34:56.789Z", 951_827_696_789),
        ("2026-03-10T12:00:00.000Z", 1_773_144_000_000),
        ("2038-01-19T03:14:08.000Z", 2_147_483_648_000),
        ("0001-01-01T00:00:00.000Z", -62_135_596_800_000),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
    ]

    @Test("format gives the known text of known instants", arguments: known)
    func format(text: String, milliseconds: Int64) {
        #expect(RFC3339.format(Timestamp(millisecondsSinceEpoch: milliseconds)) == text)
        #expect(Timestamp(millisecondsSinceEpoch: milliseconds).description == text)
    }

    @Test("parse gives the known instant of known text", arguments: known)
    func parse(text: String, milliseconds: Int64) throws {
        #expect(try RFC3339.parse(text) == Timestamp(millisecondsSinceEpoch: milliseconds))
    }

    @Test("format then parse is the identity over a wide range of instants")
    func roundTrip() throws {
        var random = SplitMix64(seed: 3_339)
        var instants: [Int64] = [0, -1, 1, 86_399_999, 86_400_000, -86_400_000, -86_400_001]
        for _ in 0..<2_000 {
            instants.append(random.int(in: Int64(-62_135_596_800_000)...253_402_300_799_999))
        }
        for milliseconds in instants {
            let timestamp = Timestamp(millisecondsSinceEpoch: milliseconds)
            let text = RFC3339.format(timestamp)
            #expect(text.utf8.count == 24, "\(text)")
            #expect(try RFC3339.parse(text) == timestamp, "\(text)")
        }
    }

    @Test(
        "offsets, lowercase separators and a space are accepted",
        arguments: [
            ("2026-01-01T05:30:00+05:30", "2026-01-01T00:00:00.000Z"),
            ("2025-12-31T19:00:00-05:00", "2026-01-01T00:00:00.000Z"),
            ("2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00.000Z"),
            ("2026-01-01T00:00:00-00:00", "2026-01-01T00:00:00.000Z"),
            ("2026-01-01t00:00:00z", "2026-01-01T00:00:00.000Z"),
            ("2026-01-01 00:00:00Z", "2026-01-01T00:00:00.000Z"),
            ("2026-01-01T00:00:00+23:59", "2025-12-31T00:01:00.000Z"),
        ]
    )
    func offsets(text: String, utc: String) throws {
        #expect(try RFC3339.parse(text) == RFC3339.parse(utc))
    }

    @Test(
        "fractional seconds: fewer digits scale up, digits past milliseconds are truncated",
        arguments: [
            ("2026-01-01T00:00:00.5Z", 500),
            ("2026-01-01T00:00:00.05Z", 50),
            ("2026-01-01T00:00:00.123Z", 123),
            ("2026-01-01T00:00:00.1239Z", 123),
            ("2026-01-01T00:00:00.999999999Z", 999),
            ("2026-01-01T00:00:00.000001Z", 0),
        ]
    )
    func fractions(text: String, milliseconds: Int64) throws {
        let midnight = try RFC3339.parse("2026-01-01T00:00:00Z")
        #expect(try RFC3339.parse(text) == midnight.adding(milliseconds: milliseconds))
    }

    @Test("a leap second is read as the last second of its minute")
    func leapSecond() throws {
        #expect(try RFC3339.parse("2016-12-31T23:59:60Z") == RFC3339.parse("2016-12-31T23:59:59Z"))
    }

    @Test(
        "junk is refused",
        arguments: [
            "", "junk", "2026", "2026-01-01", "2026-01-01T00:00:00", "2026-01-01T00:00Z", "2026-01-01T00:00:00.Z",
            "2026-1-01T00:00:00Z", "2026-01-1T00:00:00Z", "26-01-01T00:00:00Z", "+2026-01-01T00:00:00Z",
            "2026-00-01T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-32T00:00:00Z",
            "2026-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
            "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:61Z",
            "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00+05:60", "2026-01-01T00:00:00+0530",
            "2026-01-01T00:00:00+5:30", "2026-01-01T00:00:00Z ", " 2026-01-01T00:00:00Z", "2026-01-01T00:00:00ZZ",
            "2026-01-01X00:00:00Z", "2026/01/01T00:00:00Z", "2026-01-01T00-00-00Z", "2026-01-01T0a:00:00Z",
            "２０２６-01-01T00:00:00Z", "2026-01-01T00:00:00.12a4Z",
        ]
    )
    func junk(text: String) {
        expectQuotaError(.invalidArgument) { try RFC3339.parse(text) }
    }

    @Test("a leap day parses in leap years only")
    func leapDays() throws {
        #expect(
            try RFC3339.parse("2024-02-29T00:00:00Z")
                == RFC3339.parse("2024-03-01T00:00:00Z").adding(milliseconds: -86_400_000)
        )
        #expect(try RFC3339.parse("2000-02-29T00:00:00Z").millisecondsSinceEpoch == 951_782_400_000)
        expectQuotaError(.invalidArgument) { try RFC3339.parse("1900-02-29T00:00:00Z") }
    }
}
