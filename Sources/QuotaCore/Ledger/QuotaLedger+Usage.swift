extension QuotaLedger {
    /// One item evaluated against its counter, before anything is applied.
    struct Evaluation {
        let metric: MetricCode
        let limit: Limit?
        let counter: Counter
        let proposed: Int64
        let allowed: Bool

        var enforcement: Enforcement { self.limit?.enforcement ?? .none }
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
        let fingerprint = RequestFingerprint.of(.consume, items: request.items)
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
        let fingerprint = RequestFingerprint.of(.release, items: request.items)
        if let replayed = try self.replay(tenant: request.tenant, key: request.idempotencyKey, fingerprint: fingerprint)
        {
            return replayed
        }
        var evaluations: [Evaluation] = []
        for item in request.items {
            let (limit, counter) = try self.counter(tenant: request.tenant, metric: item.metric, now: now)
            let proposed = counter.usage - min(item.amount, counter.usage)
            evaluations.append(
                Evaluation(metric: item.metric, limit: limit, counter: counter, proposed: proposed, allowed: true)
            )
        }
        try self.reserveUnflushed(self.entriesNeeded(for: request, evaluations))
        let event = self.applyAll(evaluations, request: request, now: now)
        let decision = self.decision(for: request, evaluations, applied: true, eventID: event, now: now)
        self.rememberKey(of: request, fingerprint: fingerprint, decision: decision, now: now)
        return decision
    }

    // MARK: Internals

    /// The limit in force and the counter rolled to `now` (stored back: rolling is only the passage of time).
    ///
    /// - Throws: ``QuotaError/Code/quotaNotFound`` for a metric without a limit when unknown metrics are refused.
    mutating func counter(tenant: TenantID, metric: MetricCode, now: Timestamp) throws -> (Limit?, Counter) {
        let limit = self.tenants[tenant]?.limits[metric]
        if limit == nil, self.configuration.unknownMetrics == .reject {
            throw QuotaError(.quotaNotFound, "tenant '\(tenant)' has no limit for metric '\(metric)'")
        }
        let spec = limit?.period ?? self.configuration.unknownMetricPeriod
        guard let existing = self.tenants[tenant]?.counters[metric] else {
            return (limit, Counter.fresh(spec: spec, now: now))
        }
        let counter = existing.current(spec: spec, now: now)
        self.tenants[tenant]?.counters[metric] = counter
        return (limit, counter)
    }

    /// Evaluates every item of a consume or check without applying anything.
    mutating func evaluate(_ request: UsageRequest, now: Timestamp) throws -> [Evaluation] {
        var evaluations: [Evaluation] = []
        evaluations.reserveCapacity(request.items.count)
        for item in request.items {
            let (limit, counter) = try self.counter(tenant: request.tenant, metric: item.metric, now: now)
            let (proposed, overflow) = counter.usage.addingReportingOverflow(item.amount)
            guard !overflow else {
                throw QuotaError.invalidArgument(
                    "usage of '\(item.metric)' (\(counter.usage)) plus \(item.amount) would overflow a 64-bit integer"
                )
            }
            let allowed = limit.map { $0.enforcement != .hard || proposed <= $0.value } ?? true
            evaluations.append(
                Evaluation(metric: item.metric, limit: limit, counter: counter, proposed: proposed, allowed: allowed)
            )
        }
        return evaluations
    }

    /// Unflushed entries an applied request adds: a usage record per item, a usage event per `full`-audit
    /// item, and the idempotency key.
    func entriesNeeded(for request: UsageRequest, _ evaluations: [Evaluation]) -> Int {
        let events = evaluations.filter { ($0.limit?.audit ?? .full) == .full }.count
        return evaluations.count + events + (request.idempotencyKey == nil ? 0 : 1)
    }

    /// Applies evaluated items: sets each counter to its proposed usage, adds the usage records and the
    /// usage events of `full`-audit metrics to the write-behind buffer.
    ///
    /// - Returns: the event id of the request.
    mutating func applyAll(_ evaluations: [Evaluation], request: UsageRequest, now: Timestamp) -> String {
        let audited = evaluations.filter { ($0.limit?.audit ?? .full) == .full }.count
        let (eventID, firstSequence) = self.reserveSequences(audited)
        var sequence = firstSequence
        for evaluation in evaluations {
            var counter = evaluation.counter
            counter.usage = evaluation.proposed
            counter.updatedAt = now
            self.tenants[request.tenant, default: TenantState()].counters[evaluation.metric] = counter
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
            guard (evaluation.limit?.audit ?? .full) == .full else { continue }
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
