import Foundation
import Testing

@testable import QuotaCore

@Suite("Codable: periods")
struct PeriodCodableTests {
    @Test("each period unit is its lowercase name", arguments: PeriodUnit.allCases)
    func unit(unit: PeriodUnit) throws {
        try expectRoundTrip(unit, json: "\"\(unit.rawValue)\"")
    }

    @Test("an unknown period unit is refused with the parser's message", arguments: ["fortnight", "Month", " day", ""])
    func unknownUnit(name: String) {
        expectRefused(PeriodUnit.self, "\"\(name)\"") { try PeriodUnit(parsing: name) }
    }

    @Test("a monthly anchor has no month key; a yearly anchor has both")
    func anchor() throws {
        try expectRoundTrip(BillingAnchor(day: 31), json: #"{"day":31}"#)
        try expectRoundTrip(BillingAnchor(day: 29, month: 2), json: #"{"day":29,"month":2}"#)
        #expect(try JSONText.decode(BillingAnchor.self, #"{"day":15,"month":null}"#) == BillingAnchor(day: 15))
    }

    @Test(
        "an anchor the initializer refuses is refused on decode",
        arguments: [(0, nil), (32, nil), (1, 0), (1, 13), (30, 2), (31, 4)] as [(Int, Int?)]
    )
    func invalidAnchor(day: Int, month: Int?) {
        let json = month.map { #"{"day":\#(day),"month":\#($0)}"# } ?? #"{"day":\#(day)}"#
        expectRefused(BillingAnchor.self, json) { try BillingAnchor(day: day, month: month) }
    }

    @Test("a zone is its identifier exactly as given")
    func zoneShape() throws {
        try expectRoundTrip(TimeZoneRules.utc, json: #""UTC""#)
        let etc = try expectRoundTrip(zone("Etc/UTC"), json: #""Etc/UTC""#)
        #expect(etc.identifier == "Etc/UTC")
        #expect(etc != .utc)
        let chatham = try expectRoundTrip(zone("Pacific/Chatham"), json: #""Pacific/Chatham""#)
        let winter = try at("2026-01-15T12:00:00Z")
        #expect(chatham.offsetMilliseconds(at: winter) == 49_500_000)
    }

    @Test("an unknown or empty zone is refused with the lookup's message", arguments: ["Mars/Olympus_Mons", ""])
    func invalidZone(identifier: String) {
        expectRefused(TimeZoneRules.self, "\"\(identifier)\"") { try TimeZoneRules(identifier: identifier) }
    }

    @Test("a spec is unit, optional anchor and time zone")
    func specShape() throws {
        try expectRoundTrip(PeriodSpec(unit: .minute), json: #"{"time_zone":"UTC","unit":"minute"}"#)
        try expectRoundTrip(
            PeriodSpec(unit: .week, timeZone: zone("America/New_York")),
            json: #"{"time_zone":"America/New_York","unit":"week"}"#
        )
        try expectRoundTrip(
            PeriodSpec(unit: .year, anchor: BillingAnchor(day: 29, month: 2), timeZone: zone("Europe/Berlin")),
            json: #"{"anchor":{"day":29,"month":2},"time_zone":"Europe/Berlin","unit":"year"}"#
        )
        let explicitNull = try JSONText.decode(PeriodSpec.self, #"{"unit":"month","anchor":null,"time_zone":"UTC"}"#)
        #expect(explicitNull == (try PeriodSpec(unit: .month)))
    }

    @Test("a non-UTC zone with an anchor decodes to a spec that lays out the same periods")
    func zonedAnchorPeriods() throws {
        let monthly = try PeriodSpec(unit: .month, anchor: BillingAnchor(day: 31), timeZone: zone("Asia/Kolkata"))
        let yearly = try PeriodSpec(
            unit: .year,
            anchor: BillingAnchor(day: 29, month: 2),
            timeZone: zone("America/New_York")
        )
        for spec in [monthly, yearly] {
            let decoded = try expectRoundTrip(spec)
            #expect(decoded.timeZone.identifier == spec.timeZone.identifier)
            #expect(decoded.anchor == spec.anchor)
            for instant in ["2026-02-28T18:29:59.999Z", "2026-02-28T18:30:00Z", "2027-02-28T05:00:00Z"] {
                #expect(decoded.period(containing: try at(instant)) == spec.period(containing: try at(instant)))
            }
        }
        // Kolkata is UTC+05:30: the February cycle of a monthly anchor on the 31st starts at local midnight of
        // February 28, 2026-02-27T18:30:00Z, and the next one at 2026-03-30T18:30:00Z.
        let decoded = try JSONText.decode(PeriodSpec.self, try JSONText.encode(monthly))
        let period = decoded.period(containing: try at("2026-03-01T00:00:00Z"))
        #expect(period.start == (try at("2026-02-27T18:30:00Z")))
        #expect(period.end == (try at("2026-03-30T18:30:00Z")))
    }

    @Test(
        "an anchor with a unit shorter than a month is refused",
        arguments: [PeriodUnit.second, .minute, .hour, .day, .week]
    )
    func anchorWithSubMonthlyUnit(unit: PeriodUnit) throws {
        let anchor = try BillingAnchor(day: 1)
        expectRefused(PeriodSpec.self, #"{"unit":"\#(unit.rawValue)","anchor":{"day":1},"time_zone":"UTC"}"#) {
            try PeriodSpec(unit: unit, anchor: anchor)
        }
    }

    @Test("a monthly anchor with a month, or a yearly anchor without one, is refused")
    func anchorShapeForUnit() throws {
        let yearlyAnchor = try BillingAnchor(day: 15, month: 3)
        expectRefused(PeriodSpec.self, #"{"unit":"month","anchor":{"day":15,"month":3},"time_zone":"UTC"}"#) {
            try PeriodSpec(unit: .month, anchor: yearlyAnchor)
        }
        let monthlyAnchor = try BillingAnchor(day: 15)
        expectRefused(PeriodSpec.self, #"{"unit":"year","anchor":{"day":15},"time_zone":"UTC"}"#) {
            try PeriodSpec(unit: .year, anchor: monthlyAnchor)
        }
    }

    @Test("an invalid field inside a spec is refused at its path")
    func nestedPaths() {
        expectRefused(PeriodSpec.self, #"{"unit":"month","time_zone":"Nowhere/City"}"#, at: ["time_zone"]) {
            try TimeZoneRules(identifier: "Nowhere/City")
        }
        expectRefused(PeriodSpec.self, #"{"unit":"month","anchor":{"day":40},"time_zone":"UTC"}"#, at: ["anchor"]) {
            try BillingAnchor(day: 40)
        }
        expectRefused(PeriodSpec.self, #"{"unit":"months","time_zone":"UTC"}"#, at: ["unit"]) {
            try PeriodUnit(parsing: "months")
        }
    }

    @Test("the time zone is required")
    func timeZoneRequired() {
        #expect {
            try JSONText.decode(PeriodSpec.self, #"{"unit":"day"}"#)
        } throws: { error in
            guard case DecodingError.keyNotFound(let key, _) = error else { return false }
            return key.stringValue == "time_zone"
        }
    }
}
