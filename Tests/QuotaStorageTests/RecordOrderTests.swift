import QuotaCore
import Testing

@testable import QuotaStorage

@Suite("Usage records in primary key order")
struct RecordOrderTests {
    /// The order by definition: tenant bytes, metric bytes, period start, then place in the batch.
    static func reference(_ records: [UsageRecord]) -> [UsageRecord] {
        records.indices.sorted { lhs, rhs in
            let left = records[lhs]
            let right = records[rhs]
            let leftKey = (Array(left.tenant.rawValue.utf8), Array(left.metric.rawValue.utf8))
            let rightKey = (Array(right.tenant.rawValue.utf8), Array(right.metric.rawValue.utf8))
            if leftKey.0 != rightKey.0 { return leftKey.0.lexicographicallyPrecedes(rightKey.0) }
            if leftKey.1 != rightKey.1 { return leftKey.1.lexicographicallyPrecedes(rightKey.1) }
            if left.periodStart != right.periodStart { return left.periodStart < right.periodStart }
            return lhs < rhs
        }
        .map { records[$0] }
    }

    @Test("by the bytes of the ids (not Swift's String order), ids alike past 16 bytes, equal keys in batch order")
    func order() throws {
        // é decomposed (65 CC 81) sorts before é precomposed (C3 A9) by bytes; Swift's `String` finds them equal.
        // The long ids share their first 16 bytes and differ after, or are a prefix of one another.
        let tenants = try [
            "é", "e\u{301}", "z", "organization-0000-b", "organization-0000-a", "organization-0000", "organization-00",
            "a", "租户", "🚀",
        ].map(TenantID.init)
        let metrics = try ["b", "a", "é"].map(MetricCode.init)
        // 600 records of 150 keys, in a scrambled order: every key several times.
        let records = (0..<600).map { n in
            let start = Timestamp(millisecondsSinceEpoch: Int64(n * 3 % 5) - 2)
            return UsageRecord(
                tenant: tenants[n * 7 % tenants.count],
                metric: metrics[n * 11 % metrics.count],
                periodStart: start,
                periodEnd: start.adding(milliseconds: 1),
                usage: Int64(n),
                updatedAt: start
            )
        }
        let sorted = RecordOrder.sorted(records)
        #expect(sorted.map(\.usage) == Self.reference(records).map(\.usage))
        #expect(RecordOrder.sorted([]).isEmpty)
    }
}
