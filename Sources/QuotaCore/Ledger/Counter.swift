/// The in-memory counter of one (tenant, metric): the usage of its current period.
struct Counter: Sendable {
    /// The layout the period was computed from (an index in the ledger's ``PeriodSpecTable``); a different layout
    /// in force re-periods the counter.
    var spec: PeriodSpecTable.Index
    var period: Period
    var usage: Int64
    var updatedAt: Timestamp

    /// The counter as it stands at `now` under the layout `specIndex` (`spec` in the table): rolled into a new
    /// period (usage 0) when the period ended or the layout changed. A layout change whose new period starts at the
    /// same instant keeps the usage (it is the same usage record). A `now` before the period (a request that read
    /// the clock just before another one reached the ledger, or a clock stepped back) counts in the current
    /// period: the counter no longer holds the usage of the earlier one and must not reopen it.
    func current(spec specIndex: PeriodSpecTable.Index, _ spec: PeriodSpec, now: Timestamp) -> Counter {
        if !self.needsRolling(spec: specIndex, now: now) { return self }
        let period = spec.period(containing: now)
        let carried = period.start == self.period.start ? self.usage : 0
        return Counter(spec: specIndex, period: period, usage: carried, updatedAt: self.updatedAt)
    }

    /// Whether ``current(spec:_:now:)`` gives another counter: the period ended or the layout changed.
    func needsRolling(spec specIndex: PeriodSpecTable.Index, now: Timestamp) -> Bool {
        specIndex != self.spec || now >= self.period.end
    }

    static func fresh(spec specIndex: PeriodSpecTable.Index, _ spec: PeriodSpec, now: Timestamp) -> Counter {
        Counter(spec: specIndex, period: spec.period(containing: now), usage: 0, updatedAt: now)
    }
}
