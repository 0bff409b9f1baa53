import Testing

@testable import QuotaCore

@Suite("TimeZoneRules")
struct TimeZoneRulesTests {
    @Test("UTC is the default, has offset 0 and keeps its identifier")
    func utc() throws {
        #expect(TimeZoneRules.utc.identifier == "UTC")
        #expect(try zone("UTC") == .utc)
        #expect(TimeZoneRules.utc.offsetMilliseconds(at: try at("2026-07-01T12:00:00Z")) == 0)
        #expect(try zone("UTC").offsetMilliseconds(at: Timestamp(millisecondsSinceEpoch: 0)) == 0)
    }

    @Test("identifiers are kept as given")
    func identifierKept() throws {
        #expect(try zone("America/New_York").identifier == "America/New_York")
        #expect(try zone("Asia/Kolkata") != zone("America/New_York"))
    }

    @Test("offsets follow the tz database, including :30 and :45 zones")
    func offsets() throws {
        let winter = try at("2026-01-15T12:00:00Z")
        let summer = try at("2026-07-15T12:00:00Z")
        #expect(try zone("America/New_York").offsetMilliseconds(at: winter) == -5 * hourMs)
        #expect(try zone("America/New_York").offsetMilliseconds(at: summer) == -4 * hourMs)
        #expect(try zone("Europe/Berlin").offsetMilliseconds(at: winter) == 1 * hourMs)
        #expect(try zone("Europe/Berlin").offsetMilliseconds(at: summer) == 2 * hourMs)
        #expect(try zone("Asia/Kolkata").offsetMilliseconds(at: summer) == 19_800_000)
        #expect(try zone("Australia/Lord_Howe").offsetMilliseconds(at: winter) == 11 * hourMs)
        #expect(try zone("Australia/Lord_Howe").offsetMilliseconds(at: summer) == 37_800_000)
        #expect(try zone("Pacific/Chatham").offsetMilliseconds(at: winter) == 49_500_000)
        #expect(try zone("Pacific/Chatham").offsetMilliseconds(at: summer) == 45_900_000)
    }

    @Test("offsets change exactly at the transition instant (zdump America/New_York 2026)")
    func transitionInstant() throws {
        let newYork = try zone("America/New_York")
        let springForward = try at("2026-03-08T07:00:00Z")
        #expect(newYork.offsetMilliseconds(at: springForward.adding(milliseconds: -1)) == -5 * hourMs)
        #expect(newYork.offsetMilliseconds(at: springForward) == -4 * hourMs)
        let fallBack = try at("2026-11-01T06:00:00Z")
        #expect(newYork.offsetMilliseconds(at: fallBack.adding(milliseconds: -1)) == -4 * hourMs)
        #expect(newYork.offsetMilliseconds(at: fallBack) == -5 * hourMs)
    }
}
