/// The limits and counters of one tenant, in one array of (metric, limit, counter) entries: one allocation per
/// tenant instead of two dictionaries, and a scan of a few metrics instead of hashing the metric code.
///
/// A tenant with more than ``indexThreshold`` metrics also keeps a dictionary from metric to entry, so that a
/// tenant with many metrics (unknown metrics are tracked by default) is not scanned linearly. Entries are never
/// removed: an entry whose limit was removed and that has no counter stays empty, as an empty tenant stays in the
/// ledger.
struct TenantState: Sendable {
    /// One metric of the tenant.
    struct Entry: Sendable {
        let metric: MetricCode
        var limit: LimitTerms?
        var counter: Counter?
        /// Whether the counter changed since the last write-behind batch was taken without its usage record being
        /// pending anywhere else: the ledger builds the record from the counter when it takes the next batch.
        var isDirty = false
    }

    /// The entry count above which lookups go through ``index``.
    static let indexThreshold = 16

    private(set) var entries: ContiguousArray<Entry> = []
    private var index: [MetricCode: Int]?

    /// The position of `metric` in ``entries``, if it has an entry.
    func position(of metric: MetricCode) -> Int? {
        if let index { return index[metric] }
        return self.entries.firstIndex { $0.metric == metric }
    }

    /// The position of `metric`'s entry, added empty when there is none.
    mutating func position(adding metric: MetricCode) -> Int {
        if let position = self.position(of: metric) { return position }
        self.entries.append(Entry(metric: metric))
        let position = self.entries.count - 1
        if self.index != nil {
            self.index?[metric] = position
        } else if self.entries.count > Self.indexThreshold {
            self.index = Dictionary(uniqueKeysWithValues: self.entries.indices.map { (self.entries[$0].metric, $0) })
        }
        return position
    }

    /// The limit of `metric`, if one is set.
    func limit(of metric: MetricCode) -> LimitTerms? {
        self.position(of: metric).flatMap { self.entries[$0].limit }
    }

    /// The counter of `metric`, if it has one.
    func counter(of metric: MetricCode) -> Counter? {
        self.position(of: metric).flatMap { self.entries[$0].counter }
    }

    /// Sets or removes the limit of `metric`.
    mutating func setLimit(_ limit: LimitTerms?, of metric: MetricCode) {
        if limit == nil, self.position(of: metric) == nil { return }
        self.entries[self.position(adding: metric)].limit = limit
    }

    /// Sets the counter of `metric`.
    mutating func setCounter(_ counter: Counter, of metric: MetricCode) {
        self.entries[self.position(adding: metric)].counter = counter
    }

    /// Sets the counter of the entry at `position` and whether it is dirty.
    mutating func setCounter(_ counter: Counter, at position: Int, isDirty: Bool) {
        self.entries[position].counter = counter
        self.entries[position].isDirty = isDirty
    }

    /// Marks the counter at `position` clean: its usage record has been taken.
    mutating func markClean(at position: Int) { self.entries[position].isDirty = false }
}
