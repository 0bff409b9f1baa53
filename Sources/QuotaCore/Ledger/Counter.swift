/// The in-memory counter of one (tenant, metric): the usage of its current period.
struct Counter: Sendable {
    /// The layout the period was computed from; a different layout in force re-periods the counter.
    var spec: PeriodSpec
    var period: Period
    var usage: Int64
    var updatedAt: Timestamp

    /// The counter as it stands at `now` under `spec`: rolled into a new period (usage 0) when the
    /// period ended or the layout changed. A layout change whose new period starts at the same instant
    /// keeps the usage (it is the same usage record). A `now` before the period (a request that read the
    /// clock just before another one reached the ledger, or a clock stepped back) counts in the current
    /// period: the counter no longer holds the usage of the earlier one and must not reopen it.
    func current(spec: PeriodSpec, now: Timestamp) -> Counter {
        if spec == self.spec, now < self.period.end { return self }
        let period = spec.period(containing: now)
        let carried = period.start == self.period.start ? self.usage : 0
        return Counter(spec: spec, period: period, usage: carried, updatedAt: self.updatedAt)
    }

    static func fresh(spec: PeriodSpec, now: Timestamp) -> Counter {
        Counter(spec: spec, period: spec.period(containing: now), usage: 0, updatedAt: now)
    }
}
