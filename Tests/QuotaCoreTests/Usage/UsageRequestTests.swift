import Testing

@testable import QuotaCore

/// A request's check for a metric that appears twice: pairwise up to 16 items, through a set beyond.
@Suite("Usage request repeated metrics")
struct UsageRequestTests {
    static let seeds: [UInt64] = [1, 2, 3, 7, 42, 2_026, 0xDEAD_BEEF, 0x0123_4567_89AB_CDEF]

    /// The reference: the first item whose metric an earlier item already has.
    static func expectedRepeat(_ items: [UsageRequest.Item]) -> MetricCode? {
        var seen = Set<MetricCode>()
        return items.first { !seen.insert($0.metric).inserted }?.metric
    }

    @Test("random item lists of 1 to 64 items, with and without a repeat, agree with a set", arguments: seeds)
    func agreesWithSet(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<200 {
            let count = random.int(in: 1...UsageRequest.maximumItems)
            // A pool smaller than the count forces repeats; a larger one often has none.
            let pool = random.int(in: 1...(2 * count))
            let items = try (0..<count).map { _ in
                UsageRequest.Item(metric: try MetricCode("m\(random.int(in: 1...pool))"), amount: 1)
            }
            let tenant = try TenantID("t")
            let expected = Self.expectedRepeat(items)
            #expect(UsageRequest.firstRepeatedMetric(in: SmallArray(items)) == expected)
            if let expected {
                #expect(
                    throws: QuotaError.invalidArgument("metric '\(expected)' appears more than once in the request")
                ) {
                    try UsageRequest(tenant: tenant, items: SmallArray(items))
                }
            } else {
                #expect(try UsageRequest(tenant: tenant, items: SmallArray(items)).items == SmallArray(items))
            }
        }
    }

    @Test("a repeat at either end of a 16- and a 17-item request is found")
    func repeatAtTheEdges() throws {
        for count in [16, 17] {
            var items = try (0..<count).map { UsageRequest.Item(metric: try MetricCode("m\($0)"), amount: 1) }
            #expect(UsageRequest.firstRepeatedMetric(in: SmallArray(items)) == nil)
            items[count - 1] = items[0]
            #expect(UsageRequest.firstRepeatedMetric(in: SmallArray(items)) == items[0].metric)
        }
    }
}
