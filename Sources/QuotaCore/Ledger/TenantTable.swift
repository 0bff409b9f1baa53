/// The tenants a ledger holds state for: an open-addressing hash table whose slots never move, so a tenant keeps
/// its slot number for the ledger's lifetime and a slot can name a tenant's state where a `Dictionary` index would
/// be invalidated by the next insertion (the write-behind buffer's dirty counters name their tenant by slot).
///
/// A lookup hashes the tenant id once with `Hasher` (SipHash, seeded per process by the Swift runtime, so clients
/// cannot choose ids that collide) and compares ids only in buckets whose stored hash bits match. Only
/// ``tenantIDs`` iterates the buckets, and its callers sort, so their order never decides behaviour. A removed
/// tenant keeps its slot, without state, for when it comes back: a snapshot replaces a tenant's state by removing
/// it and storing the snapshot's.
struct TenantTable: Sendable {
    /// The number of a tenant's slot.
    typealias Slot = UInt32

    /// The smallest bucket count (a power of two).
    private static let minimumBucketCount = 16

    /// A tenant's id and state, side by side so that the comparison that confirms a lookup and the access that
    /// follows read one cache line.
    private struct Occupant: Sendable {
        /// The tenant's id.
        let id: TenantID
        /// The tenant's state; empty while the tenant is removed.
        var state = TenantState()
    }

    /// The occupant of each slot, in the order tenants were first added.
    private var occupants: ContiguousArray<Occupant> = []
    /// Per bucket: 0 when empty, else the slot plus one in the low 31 bits, ``removedFlag`` while the tenant is
    /// removed, and the high 32 bits of the id's hash in the high 32 bits. The count is a power of two, with at
    /// least a quarter of the buckets empty.
    private var buckets = [UInt64](repeating: 0, count: TenantTable.minimumBucketCount)

    /// The bucket bit of a removed tenant.
    private static let removedFlag: UInt64 = 1 << 31

    /// Creates an empty table.
    init() {}

    /// The tenants that have state, in no particular order.
    var tenantIDs: [TenantID] {
        self.buckets.compactMap { content in
            guard content != 0, content & Self.removedFlag == 0 else { return nil }
            return self.occupants[Int(Self.slot(in: content))].id
        }
    }

    /// The id of the tenant in `slot`.
    func id(of slot: Slot) -> TenantID { self.occupants[Int(slot)].id }

    /// The slot of `tenant`, `nil` when it has no state.
    func slot(of tenant: TenantID) -> Slot? {
        let bucket = self.find(tenant, hash: Self.hash(tenant))
        let content = self.buckets[bucket]
        guard content != 0, content & Self.removedFlag == 0 else { return nil }
        return Self.slot(in: content)
    }

    /// The slot of `tenant`, added with empty state when it has none.
    mutating func slot(adding tenant: TenantID) -> Slot {
        let hash = Self.hash(tenant)
        let bucket = self.find(tenant, hash: hash)
        let content = self.buckets[bucket]
        if content != 0 {
            self.buckets[bucket] = content & ~Self.removedFlag
            return Self.slot(in: content)
        }
        precondition(self.occupants.count < Int(Self.removedFlag) - 1, "too many tenants for one ledger")
        let slot = Slot(self.occupants.count)
        self.occupants.append(Occupant(id: tenant))
        if (self.occupants.count + 1) * 4 > self.buckets.count * 3 {
            self.rehash(bucketCount: self.buckets.count * 2)
        } else {
            self.buckets[bucket] = Self.bucketContent(slot: slot, hash: hash)
        }
        return slot
    }

    /// Removes the state of `tenant`; its slot stays reserved for it.
    mutating func remove(_ tenant: TenantID) {
        let bucket = self.find(tenant, hash: Self.hash(tenant))
        let content = self.buckets[bucket]
        guard content != 0 else { return }
        self.buckets[bucket] = content | Self.removedFlag
        self.occupants[Int(Self.slot(in: content))].state = TenantState()
    }

    /// The state of `tenant`, `nil` when it has none.
    subscript(tenant: TenantID) -> TenantState? {
        self.slot(of: tenant).map { self.occupants[Int($0)].state }
    }

    /// The state of the tenant in `slot`.
    subscript(slot: Slot) -> TenantState {
        _read { yield self.occupants[Int(slot)].state }
        _modify { yield &self.occupants[Int(slot)].state }
    }

    /// The bucket where `tenant` is, or the empty bucket where it would go.
    private func find(_ tenant: TenantID, hash: UInt64) -> Int {
        let mask = self.buckets.count - 1
        let tag = hash >> 32
        var bucket = Int(truncatingIfNeeded: hash) & mask
        while true {
            let content = self.buckets[bucket]
            if content == 0 || (content >> 32 == tag && self.occupants[Int(Self.slot(in: content))].id == tenant) {
                return bucket
            }
            bucket = (bucket + 1) & mask
        }
    }

    /// Rebuilds the buckets with `bucketCount` of them (a power of two), placing every slot again: those already in
    /// a bucket (removed ones staying removed) and the slot just added, the last one.
    private mutating func rehash(bucketCount: Int) {
        var buckets = [UInt64](repeating: 0, count: bucketCount)
        let mask = bucketCount - 1
        for content in self.buckets where content != 0 {
            let hash = Self.hash(self.occupants[Int(Self.slot(in: content))].id)
            var bucket = Int(truncatingIfNeeded: hash) & mask
            while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
            buckets[bucket] = (hash & 0xFFFF_FFFF_0000_0000) | (content & 0xFFFF_FFFF)
        }
        let added = self.occupants.count - 1
        let hash = Self.hash(self.occupants[added].id)
        var bucket = Int(truncatingIfNeeded: hash) & mask
        while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
        buckets[bucket] = Self.bucketContent(slot: Slot(added), hash: hash)
        self.buckets = buckets
    }

    /// What a bucket holds for `slot` (with state): the slot plus one, under the high half of `hash`.
    private static func bucketContent(slot: Slot, hash: UInt64) -> UInt64 {
        (hash & 0xFFFF_FFFF_0000_0000) | UInt64(slot + 1)
    }

    /// The slot a non-empty bucket holds.
    private static func slot(in content: UInt64) -> Slot {
        Slot(truncatingIfNeeded: content & (Self.removedFlag - 1)) - 1
    }

    /// The per-process seeded hash of the tenant id's bytes (``TenantID/hash(into:)`` through `Hasher`).
    private static func hash(_ tenant: TenantID) -> UInt64 {
        UInt64(bitPattern: Int64(tenant.hashValue))
    }
}
