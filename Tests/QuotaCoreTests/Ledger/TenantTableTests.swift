import Testing

@testable import QuotaCore

/// ``TenantTable`` replaces a `Dictionary<TenantID, TenantState>` in the ledger: random additions, removals and
/// lookups from fixed seeds, checked against a dictionary after every step.
@Suite("Tenant table")
struct TenantTableTests {
    static let seeds: [UInt64] = [1, 2, 3, 7, 42, 2_026, 0xDEAD_BEEF, 0x0123_4567_89AB_CDEF]

    @Test("lookups, additions and removals agree with a dictionary; slots never move", arguments: seeds)
    func agreesWithADictionary(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        var table = TenantTable()
        var model: [TenantID: Int64] = [:]
        var slots: [TenantID: TenantTable.Slot] = [:]
        // Up to 3,000 distinct ids, long and short (small and heap-allocated strings), so the table grows many times.
        let ids = try (0..<3_000).map { index in
            try TenantID(index.isMultiple(of: 3) ? "tenant-with-a-long-id-\(index)" : "t\(index)")
        }
        let metric = Fixture.calls
        for step in 0..<20_000 {
            let tenant = ids[generator.int(in: 0...min(ids.count - 1, 50 + step / 5))]
            switch generator.int(in: 0...9) {
            case 0...5:
                let slot = table.slot(adding: tenant)
                if let known = slots[tenant] { #expect(slot == known, "a tenant keeps its slot") }
                slots[tenant] = slot
                let usage = Int64(step)
                let period = Period(start: Fixture.t0, end: at(60_000))
                table[slot].setCounter(
                    Counter(spec: 0, period: period, usage: usage, updatedAt: Fixture.t0),
                    of: metric
                )
                model[tenant] = usage
            case 6:
                table.remove(tenant)
                model[tenant] = nil
            default:
                #expect((table.slot(of: tenant) != nil) == (model[tenant] != nil))
            }
            #expect(table[tenant]?.counter(of: metric)?.usage == model[tenant])
        }
        #expect(table.tenantIDs.sorted() == model.keys.sorted())
        for (tenant, slot) in slots { #expect(table.id(of: slot) == tenant) }
    }

    @Test("a removed tenant has no state until it is added again, empty, in its old slot")
    func removedTenantComesBackEmpty() throws {
        var table = TenantTable()
        let slot = table.slot(adding: Fixture.acme)
        table[slot].setLimit(
            LimitTerms(value: 5, spec: 0, enforcement: .hard, audit: .full),
            of: Fixture.calls
        )
        table.remove(Fixture.acme)
        #expect(table.slot(of: Fixture.acme) == nil)
        #expect(table[Fixture.acme] == nil)
        #expect(table.tenantIDs.isEmpty)
        table.remove(Fixture.globex)
        #expect(table.slot(adding: Fixture.acme) == slot)
        #expect(table[slot].entries.isEmpty)
        #expect(table.tenantIDs == [Fixture.acme])
    }
}
