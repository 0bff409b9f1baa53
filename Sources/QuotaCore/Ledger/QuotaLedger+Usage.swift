extension QuotaLedger {
    /// Where an entry of a tenant's state is: the tenant's slot in ``tenants`` and the entry's position in its
    /// ``TenantState/entries``. Stable: slots and positions never move.
    struct EntryLocation: Sendable {
        /// The tenant's slot.
        let tenant: TenantTable.Slot
        /// The position of the entry in the tenant's entries.
        let position: Int
    }

    /// One item evaluated against its counter, before anything is applied. Its metric is the request item's (an
    /// evaluation holds no reference, so copying one is copying bytes).
    struct Evaluation {
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
        // A one-item request (the common case) is evaluated without an array of evaluations.
        if request.items.count == 1 {
            let evaluation = try self.evaluate(request.items[0], of: request.tenant, now: now)
            return try self.consume(request, CollectionOfOne(evaluation), fingerprint: fingerprint, now: now)
        }
        return try self.consume(request, self.evaluate(request, now: now), fingerprint: fingerprint, now: now)
    }

    /// The decision ``consume(_:now:)`` would give, applying nothing. Amounts may be 0 (a peek);
    /// the idempotency key is ignored.
    ///
    /// - Throws: ``QuotaError/Code/quotaNotFound`` and ``QuotaError/Code/invalidArgument`` as ``consume(_:now:)``.
    public mutating func check(_ request: UsageRequest, now: Timestamp) throws -> Decision {
        if request.items.count == 1 {
            let evaluation = try self.evaluate(request.items[0], of: request.tenant, now: now)
            return self.decision(
                for: request,
                CollectionOfOne(evaluation),
                applied: evaluation.allowed,
                eventID: nil,
                now: now
            )
        }
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

    /// Applies evaluated consume items: all of them, or none when one is refused.
    private mutating func consume(
        _ request: UsageRequest,
        _ evaluations: some Collection<Evaluation>,
        fingerprint: UInt64,
        now: Timestamp
    ) throws -> Decision {
        guard evaluations.allSatisfy(\.allowed) else {
            return self.decision(for: request, evaluations, applied: false, eventID: nil, now: now)
        }
        try self.reserveUnflushed(self.entriesNeeded(for: request, evaluations))
        let event = self.applyAll(evaluations, request: request, now: now)
        let decision = self.decision(for: request, evaluations, applied: true, eventID: event, now: now)
        self.rememberKey(of: request, fingerprint: fingerprint, decision: decision, now: now)
        return decision
    }

    /// The limit in force, the counter rolled to `now` (stored back: rolling is only the passage of time), and where
    /// the metric's entry is (`nil` when it has none yet).
    ///
    /// - Throws: ``QuotaError/Code/quotaNotFound`` for a metric without a limit when unknown metrics are refused.
    mutating func counter(
        tenant: TenantID,
        metric: MetricCode,
        now: Timestamp
    ) throws -> (limit: LimitTerms?, counter: Counter, location: EntryLocation?) {
        let found = self.tenants.slot(of: tenant).flatMap { slot in
            self.tenants[slot].position(of: metric).map { EntryLocation(tenant: slot, position: $0) }
        }
        let limit = found.flatMap { self.tenants[$0.tenant].entries[$0.position].limit }
        if limit == nil, self.configuration.unknownMetrics == .reject {
            throw QuotaError(.quotaNotFound, "tenant '\(tenant)' has no limit for metric '\(metric)'")
        }
        let specIndex = limit?.spec ?? self.unknownMetricSpec
        guard let found, let existing = self.tenants[found.tenant].entries[found.position].counter else {
            return (limit, Counter.fresh(spec: specIndex, self.periodSpecs[specIndex], now: now), found)
        }
        guard existing.needsRolling(spec: specIndex, now: now) else { return (limit, existing, found) }
        let counter = existing.current(spec: specIndex, self.periodSpecs[specIndex], now: now)
        self.storeCounter(counter, at: found, changed: false)
        return (limit, counter, found)
    }

    /// Evaluates every item of a consume or check without applying anything.
    mutating func evaluate(_ request: UsageRequest, now: Timestamp) throws -> [Evaluation] {
        var evaluations: [Evaluation] = []
        evaluations.reserveCapacity(request.items.count)
        for item in request.items {
            evaluations.append(try self.evaluate(item, of: request.tenant, now: now))
        }
        return evaluations
    }

    /// Evaluates one item of a consume or check without applying anything.
    ///
    /// - Throws: ``QuotaError/Code/quotaNotFound`` as ``counter(tenant:metric:now:)``;
    ///   ``QuotaError/Code/invalidArgument`` when usage plus the amount would overflow `Int64`.
    mutating func evaluate(_ item: UsageRequest.Item, of tenant: TenantID, now: Timestamp) throws -> Evaluation {
        let (limit, counter, location) = try self.counter(tenant: tenant, metric: item.metric, now: now)
        let (proposed, overflow) = counter.usage.addingReportingOverflow(item.amount)
        guard !overflow else {
            throw QuotaError.invalidArgument(
                "usage of '\(item.metric)' (\(counter.usage)) plus \(item.amount) would overflow a 64-bit integer"
            )
        }
        return Evaluation(
            limit: limit,
            counter: counter,
            location: location,
            proposed: proposed,
            allowed: limit?.allows(proposed) ?? true
        )
    }

    /// Unflushed entries an applied request adds: a usage record per item, a usage event per `full`-audit
    /// item, and the idempotency key.
    func entriesNeeded(for request: UsageRequest, _ evaluations: some Collection<Evaluation>) -> Int {
        var events = 0
        for evaluation in evaluations where evaluation.isAudited { events += 1 }
        return evaluations.count + events + (request.idempotencyKey == nil ? 0 : 1)
    }

    /// Applies evaluated items: sets each counter to its proposed usage, adds the usage records and the
    /// usage events of `full`-audit metrics to the write-behind buffer.
    ///
    /// - Returns: the event id of the request.
    mutating func applyAll(
        _ evaluations: some Collection<Evaluation>,
        request: UsageRequest,
        now: Timestamp
    ) -> String {
        var audited = 0
        for evaluation in evaluations where evaluation.isAudited { audited += 1 }
        let (eventID, firstSequence) = self.reserveSequences(audited)
        var sequence = firstSequence
        for (index, evaluation) in evaluations.enumerated() {
            let metric = request.items[index].metric
            var counter = evaluation.counter
            counter.usage = evaluation.proposed
            counter.updatedAt = now
            // Through the location found while evaluating: no second lookup. An item without one adds its entry
            // (and its tenant); slots and positions never move, so the other items' locations stay valid.
            let location =
                evaluation.location
                ?? {
                    let slot = self.tenants.slot(adding: request.tenant)
                    return EntryLocation(tenant: slot, position: self.tenants[slot].position(adding: metric))
                }()
            self.storeCounter(counter, at: location, changed: true)
            if self.capture != nil {
                self.capture?.records.append(
                    UsageRecord(
                        tenant: request.tenant,
                        metric: metric,
                        periodStart: counter.period.start,
                        periodEnd: counter.period.end,
                        usage: counter.usage,
                        updatedAt: now
                    )
                )
            }
            guard evaluation.isAudited else { continue }
            let event = UsageEvent(
                eventID: eventID,
                sequence: sequence,
                tenant: request.tenant,
                metric: metric,
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
        _ evaluations: some Collection<Evaluation>,
        applied: Bool,
        eventID: String?,
        now: Timestamp
    ) -> Decision {
        var retryAfter: Int64?
        let results = evaluations.enumerated().map { index, evaluation -> Decision.Item in
            let usage = applied ? evaluation.proposed : evaluation.counter.usage
            let value = evaluation.limit?.value
            let overage = value.map { max(0, evaluation.proposed - $0) } ?? 0
            if !evaluation.allowed {
                let wait = evaluation.counter.period.end.millisecondsSinceEpoch - now.millisecondsSinceEpoch
                retryAfter = max(retryAfter ?? 0, wait)
            }
            return Decision.Item(
                metric: request.items[index].metric.rawValue,
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
