import Testing

@testable import quotactl

/// quotactl's small value formatters.
@Suite struct QuotactlFormatTests {
    @Test func millisecondsAreShortAndReadable() {
        #expect(Format.milliseconds(0) == "0ms")
        #expect(Format.milliseconds(999) == "999ms")
        #expect(Format.milliseconds(1000) == "1.0s")
        #expect(Format.milliseconds(1_249) == "1.2s")
        #expect(Format.milliseconds(99_949) == "99.9s")
        #expect(Format.milliseconds(99_950) == "100s")
        #expect(Format.milliseconds(3_600_000) == "3600s")
    }

    @Test func countsTakeThePluralUnlessOne() {
        #expect(Format.count(0, "row") == "0 rows")
        #expect(Format.count(1, "row") == "1 row")
        #expect(Format.count(2, "node") == "2 nodes")
    }
}
