extension QuotaLedger {
    /// Where an entry of a tenant's state is: the tenant's index in ``tenants`` and the entry's position in its
    /// ``TenantState/entries``. Valid until a tenant is added to or removed from ``tenants``.
    typealias EntryLocation = (tenant: Dictionary<TenantID, TenantState>.Index, position: Int)

    /// One item evaluated against its counter, before anything is applied.
    struct Evaluation {
        let metric: MetricCode
        let limit: LimitTerms?
        let counter: Counter
        /// Where the metric's entry is, `nil` when it has none yet.
        let location: EntryLocation?
        let proposed: Int64
        let allowed: Bool

        var enforcement: Enforcement { self.limit?.enforcement ?? .none }
        /// Whether the item's usage event is stored: `full` audit, which metrics without a limit get.
        var isAudited: Bool { (self.limit?.audit ?? .full) == .full }
    }

    /// Consumes usage: applies every item, or — when any `hard` item would pass its limit — nothing.
    ///
    /// A key that was already applied returns the stored decision (`replayed`) and applies nothing.
    ///
    /// - Throws: ``QuotaError/Code/quotaNotFound`` for a metric without a limit when unknown metrics are refused;
    ///   ``QuotaError/Code/invalidArgument`` when usage plus the amount would overflow `Int64`;
    ///   ``QuotaError/Code/idempotencyConflict`` when the key was used for a different request;
    ///   ``QuotaError/Code/unavailable`` when the unflushed bound is reached.
    public mutating func consume(_ request: UsageRequest, now: Timestamp) throws -> Decision {
        self.expireIdempotencyKeys(now: now)
        // Only a request with an idempotency key needs its fingerprint.
        let fingerprint = request.idempotencyKey == nil ? 0 : RequestFingerprint.of(.consume, items: request.items)
        if let replayed = try self.replay(tenant: request.tenant, key: request.idempotencyKey, fingerprint: fingerprint)
        {
            return replayed
        }
        let evaluations = try self.evaluate(request, now: now)
        guard evaluations.allSatisfy(\.allowed) else {
            return self.decision(for: request, evaluations, applied: false, eventID: nil, now: now)
        }
        try self.reserveUnflushed(self.entriesNeeded(for: request, evaluations))
        let event = self.applyAll(evaluations, request: request, now: now)
        let decision = self.decision(for: request, evaluations, applied: true, eventID: event, now: now)
        self.rememberKey(of: request, fingerprint: fingerprint, decision: decision, now: now)
        return decision
    }

    /// The decision ``consume(_:now:)`` would give, applying nothing. Amounts may be 0 (a peek);
    /// the idempotency key is ignored.
    ///
    /// - Throws: ``QuotaError/Code/quotaNotFound`` and ``QuotaError/Code/invalidArgument`` as ``consume(_:now:)``.
    public mutating func check(_ request: UsageRequest, now: Timestamp) throws -> Decision {
        let evaluations = try self.evaluate(request, now: now)
        let allowed = evaluations.allSatisfy(\.allowed)
        return self.decision(for: request, evaluations, applied: allowed, eventID: nil, now: now)
    }

    /// Gives usage back (for gauges such as `products`). Usage never goes below zero: each item releases
    /// at most the current usage, and the usage event records the negative amount actually released.
    ///
    /// - Throws: ``QuotaError/Code/quotaNotFound``, ``QuotaError/Code/idempotencyConflict`` and
    ///   ``QuotaError/Code/unavailable`` as ``consume(_:now:)``.
    public mutating func release(_ request: UsageRequest, now: Timestamp) throws -> Decision {
        self.expireIdempotencyKeys(now: now)
        let fingerprint = request.idempotencyKey == nil ? 0 : RequestFingerprint.of(.release, items: request.items)
        if let replayed = try self.replay(tenant: request.tenant, key: request.idempotencyKey, fingerprint: fingerprint)
        {
            return replayed
        }
        var evaluations: [Evaluation] = []
        evaluations.reserveCapacity(request.items.count)
        for item in request.items {
            let (limit, counter, location) = try self.counter(tenant: request.tenant, metric: item.metric, now: now)
            let proposed = counter.usage - min(item.amount, counter.usage)
            evaluations.append(
                Evaluation(
                    metric: item.metric,
                    limit: limit,
                    counter: counter,
                    location: location,
                    proposed: proposed,
                    allowed: true
                )
            )
        }
        try self.reserveUnflushed(self.entriesNeeded(for: request, evaluations))
        let event = self.applyAll(evaluations, request: request, now: now)
        let decision = self.decision(for: request, evaluations, applied: true, eventID: event, now: now)
        self.rememberKey(of: request, fingerprint: fingerprint, decision: decision, now: now)
        return decision
    }

    // MARK: Internals

    /// The limit in force, the counter rolled to `now` (stored back: rolling is only the passage of time), and where
    /// the metric's entry is (`nil` when it has none yet).
    ///
    /// - Throws: ``QuotaError/Code/quotaNotFound`` for a metric without a limit when unknown metrics are refused.
    mutating func counter(
        tenant: TenantID,
        metric: MetricCode,
        now: Timestamp
    ) throws -> (limit: LimitTerms?, counter: Counter, location: EntryLocation?) {
        let found = self.tenants.index(forKey: tenant).flatMap { index in
            let state = self.tenants.values[index]
            return state.position(of: metric).map { (EntryLocation(index, $0), state.entries[$0]) }
        }
        let limit = found?.1.limit
        if limit == nil, self.configuration.unknownMetrics == .reject {
            throw QuotaError(.quotaNotFound, "tenant '\(tenant)' has no limit for metric '\(metric)'")
        }
        let specIndex = limit?.spec ?? self.unknownMetricSpec
        guard let (location, entry) = found, let existing = entry.counter else {
            return (limit, Counter.fresh(spec: specIndex, self.periodSpecs[specIndex], now: now), found?.0)
        }
        let counter = existing.current(spec: specIndex, self.periodSpecs[specIndex], now: now)
        if counter.spec != existing.spec || counter.period != existing.period {
            self.tenants.values[location.tenant].setCounter(counter, at: location.position)
        }
        return (limit, counter, location)
    }

    /// Evaluates every item of a consume or check without applying anything.
    mutating func evaluate(_ request: UsageRequest, now: Timestamp) throws -> [Evaluation] {
        var evaluations: [Evaluation] = []
        evaluations.reserveCapacity(request.items.count)
        for item in request.items {
            let (limit, counter, location) = try self.counter(tenant: request.tenant, metric: item.metric, now: now)
            let (proposed, overflow) = counter.usage.addingReportingOverflow(item.amount)
            guard !overflow else {
                throw QuotaError.invalidArgument(
                    "usage of '\(item.metric)' (\(counter.usage)) plus \(item.amount) would overflow a 64-bit integer"
                )
            }
            evaluations.append(
                Evaluation(
                    metric: item.metric,
                    limit: limit,
                    counter: counter,
                    location: location,
                    proposed: proposed,
                    allowed: limit?.allows(proposed) ?? true
                )
            )
        }
        return evaluations
    }

    /// Unflushed entries an applied request adds: a usage record per item, a usage event per `full`-audit
    /// item, and the idempotency key.
    func entriesNeeded(for request: UsageRequest, _ evaluations: [Evaluation]) -> Int {
        var events = 0
        for evaluation in evaluations where evaluation.isAudited { events += 1 }
        return evaluations.count + events + (request.idempotencyKey == nil ? 0 : 1)
    }

    /// Applies evaluated items: sets each counter to its proposed usage, adds the usage records and the
    /// usage events of `full`-audit metrics to the write-behind buffer.
    ///
    /// - Returns: the event id of the request.
    mutating func applyAll(_ evaluations: [Evaluation], request: UsageRequest, now: Timestamp) -> String {
        var audited = 0
        for evaluation in evaluations where evaluation.isAudited { audited += 1 }
        let (eventID, firstSequence) = self.reserveSequences(audited)
        var sequence = firstSequence
        for evaluation in evaluations {
            var counter = evaluation.counter
            counter.usage = evaluation.proposed
            counter.updatedAt = now
            // Through the location found while evaluating: no second lookup, and not `tenants[tenant]?.…`, which
            // nests modify coroutines whose frames are heap-allocated. Only an item of a tenant without state
            // adds the tenant, and then no item of the request has a location.
            if let location = evaluation.location {
                self.tenants.values[location.tenant].setCounter(counter, at: location.position)
            } else {
                self.tenants[request.tenant, default: TenantState()].setCounter(counter, of: evaluation.metric)
            }
            let record = UsageRecord(
                tenant: request.tenant,
                metric: evaluation.metric,
                periodStart: counter.period.start,
                periodEnd: counter.period.end,
                usage: counter.usage,
                updatedAt: now
            )
            self.writeBehind.add(record)
            self.capture?.records.append(record)
            guard evaluation.isAudited else { continue }
            let event = UsageEvent(
                eventID: eventID,
                sequence: sequence,
                tenant: request.tenant,
                metric: evaluation.metric,
                amount: evaluation.proposed - evaluation.counter.usage,
                periodStart: counter.period.start,
                idempotencyKey: request.idempotencyKey,
                metadata: request.metadata,
                createdAt: now
            )
            self.writeBehind.add(event)
            self.capture?.events.append(event)
            sequence += 1
        }
        return eventID
    }

    mutating func rememberKey(of request: UsageRequest, fingerprint: UInt64, decision: Decision, now: Timestamp) {
        guard let key = request.idempotencyKey else { return }
        self.remember(
            IdempotencyEntry(
                tenant: request.tenant,
                key: key,
                fingerprint: fingerprint,
                decision: decision,
                createdAt: now
            ),
            persist: true
        )
    }

    func decision(
        for request: UsageRequest,
        _ evaluations: [Evaluation],
        applied: Bool,
        eventID: String?,
        now: Timestamp
    ) -> Decision {
        var retryAfter: Int64?
        let results = evaluations.map { evaluation -> Decision.Item in
            let usage = applied ? evaluation.proposed : evaluation.counter.usage
            let value = evaluation.limit?.value
            let overage = value.map { max(0, evaluation.proposed - $0) } ?? 0
            if !evaluation.allowed {
                let wait = evaluation.counter.period.end.millisecondsSinceEpoch - now.millisecondsSinceEpoch
                retryAfter = max(retryAfter ?? 0, wait)
            }
            return Decision.Item(
                metric: evaluation.metric.rawValue,
                allowed: evaluation.allowed,
                enforcement: evaluation.enforcement,
                usage: usage,
                limit: value,
                remaining: value.map { min($0, max(0, $0 - usage)) },
                exceeded: overage > 0,
                overage: overage,
                periodStart: evaluation.counter.period.start,
                periodEnd: evaluation.counter.period.end
            )
        }
        return Decision(
            allowed: evaluations.allSatisfy(\.allowed),
            tenant: request.tenant.rawValue,
            results: results,
            eventID: eventID,
            retryAfterMilliseconds: retryAfter
        )
    }
}
