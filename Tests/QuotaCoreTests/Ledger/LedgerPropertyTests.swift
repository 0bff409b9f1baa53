import Testing

@testable import QuotaCore

/// Random sequences of consume, check, release, setLimit and flushes (succeeding or failing), from fixed
/// seeds, checked step by step against a small independent model: a dictionary of usage per
/// (tenant, metric, period start), the limits in force, and the applied idempotency keys.
@Suite("Ledger properties")
struct LedgerPropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 7, 42, 2_026, 0xDEAD_BEEF, 0x0123_4567_89AB_CDEF]
    static let steps = 600
    static let retention: Int64 = 10 * 60_000

    /// 2026-03-31T23:55:00Z: the run crosses minute, hour, day and month boundaries.
    static let start = Timestamp(millisecondsSinceEpoch: 1_775_001_300_000)

    struct Metric {
        let code: MetricCode
        let spec: PeriodSpec
        let limited: Bool
    }

    static let tenants = [try! TenantID("t1"), try! TenantID("t2")]
    static let metrics = [
        Metric(code: try! MetricCode("calls"), spec: Fixture.minute, limited: true),
        Metric(code: try! MetricCode("tokens"), spec: Fixture.hour, limited: true),
        Metric(code: try! MetricCode("burst"), spec: Fixture.second, limited: true),
        // No limit: tracked with enforcement none in the calendar month.
        Metric(code: try! MetricCode("gauge"), spec: try! PeriodSpec(unit: .month), limited: false),
    ]
    static let keyPool = ["k0", "k1", "k2", "k3", "k4"]

    /// Everything a run produced, compared between two runs of one seed.
    struct Trace: Equatable {
        var outcomes: [String] = []
        var decisions: [Decision] = []
        var events: [UsageEvent] = []
        var records: [UsageRecord] = []
    }

    /// The reference model. Independent of the ledger: it only uses ``PeriodSpec`` to place instants in periods.
    struct Model {
        struct KeyEntry {
            let kind: String
            let items: [(Metric, Int64)]
            let request: String
            let decision: Decision
            let createdAt: Timestamp
        }

        var usage: [String: Int64] = [:]
        var limits: [String: (value: Int64, enforcement: Enforcement)] = [:]
        var keys: [String: KeyEntry] = [:]

        static func usageKey(_ tenant: TenantID, _ metric: MetricCode, _ periodStart: Timestamp) -> String {
            "\(tenant)|\(metric)|\(periodStart.millisecondsSinceEpoch)"
        }

        /// The decision the ledger must give, and the usage changes it implies.
        func decide(
            _ operation: String,
            tenant: TenantID,
            items: [(Metric, Int64)],
            now: Timestamp
        ) -> (decision: Decision, changes: [String: Int64]) {
            var results: [Decision.Item] = []
            var changes: [String: Int64] = [:]
            var retryAfter: Int64?
            for (metric, amount) in items {
                let period = metric.spec.period(containing: now)
                let key = Self.usageKey(tenant, metric.code, period.start)
                let current = self.usage[key] ?? 0
                let limit = self.limits["\(tenant)|\(metric.code)"]
                let proposed = operation == "release" ? current - min(amount, current) : current + amount
                let allowed =
                    operation == "release" || limit.map { $0.enforcement != .hard || proposed <= $0.value } ?? true
                if !allowed {
                    retryAfter = max(retryAfter ?? 0, period.end.millisecondsSinceEpoch - now.millisecondsSinceEpoch)
                }
                changes[key] = proposed
                let overage = limit.map { max(0, proposed - $0.value) } ?? 0
                results.append(
                    Decision.Item(
                        metric: metric.code.rawValue,
                        allowed: allowed,
                        enforcement: limit?.enforcement ?? .none,
                        usage: proposed,
                        limit: limit?.value,
                        remaining: nil,
                        exceeded: overage > 0,
                        overage: overage,
                        periodStart: period.start,
                        periodEnd: period.end
                    )
                )
            }
            let allowed = results.allSatisfy(\.allowed)
            // A denied request reports the usage as it stands.
            results = results.enumerated().map { index, item in
                let usage =
                    allowed ? item.usage : self.usage[Self.usageKey(tenant, items[index].0.code, item.periodStart)] ?? 0
                return Decision.Item(
                    metric: item.metric,
                    allowed: item.allowed,
                    enforcement: item.enforcement,
                    usage: usage,
                    limit: item.limit,
                    remaining: item.limit.map { min($0, max(0, $0 - usage)) },
                    exceeded: item.exceeded,
                    overage: item.overage,
                    periodStart: item.periodStart,
                    periodEnd: item.periodEnd
                )
            }
            let decision = Decision(
                allowed: allowed,
                tenant: tenant.rawValue,
                results: results,
                eventID: nil,
                retryAfterMilliseconds: retryAfter
            )
            return (decision, allowed ? changes : [:])
        }
    }

    /// Runs one seed, checking every step against the model, and returns what it produced.
    static func run(seed: UInt64) throws -> Trace {
        var random = SplitMix64(seed: seed)
        var ledger = QuotaLedger(
            configuration: LedgerConfiguration(idempotencyRetentionMilliseconds: Self.retention),
            eventIDPrefix: "p-1",
            now: Self.start
        )
        var model = Model()
        var trace = Trace()
        var now = Self.start

        func setRandomLimit(_ tenant: TenantID, _ metric: Metric) throws {
            let value = random.int(in: Int64(0)...40)
            let enforcement = random.pick(Enforcement.allCases)
            try ledger.setLimit(
                Limit(tenant: tenant, metric: metric.code, value: value, period: metric.spec, enforcement: enforcement),
                now: now
            )
            model.limits["\(tenant)|\(metric.code)"] = (value, enforcement)
            trace.outcomes.append("limit \(tenant) \(metric.code) \(value) \(enforcement)")
        }

        func flush(succeeding: Bool) {
            guard let batch = ledger.takeFlushBatch() else { return }
            if succeeding {
                ledger.flushSucceeded()
                trace.events += batch.events
                trace.records += batch.records
            } else {
                ledger.flushFailed()
            }
            trace.outcomes.append("flush \(batch.entryCount) \(succeeding)")
        }

        for tenant in Self.tenants {
            for metric in Self.metrics where metric.limited { try setRandomLimit(tenant, metric) }
        }

        for step in 0..<Self.steps {
            let pace = random.int(in: 0...99)
            now = now.adding(milliseconds: random.int(in: 0...(pace < 60 ? 2_000 : pace < 90 ? 15_000 : 120_000)))
            let tenant = random.pick(Self.tenants)
            let operation = random.int(in: 0...99)
            if operation >= 88 {
                flush(succeeding: random.chance(75))
                continue
            }
            if operation >= 80 {
                try setRandomLimit(tenant, random.pick(Self.metrics.filter(\.limited)))
                continue
            }
            var kind = operation < 45 ? "consume" : operation < 65 ? "check" : "release"
            var pool = Self.metrics
            var items: [(Metric, Int64)] = []
            for _ in 0..<random.int(in: 1...3) {
                let metric = pool.remove(at: random.int(in: 0...(pool.count - 1)))
                let amount = random.int(in: Int64(kind == "check" ? 0 : 1)...(random.chance(10) ? 60 : 12))
                items.append((metric, amount))
            }
            let key = try random.chance(30) ? IdempotencyKey(random.pick(Self.keyPool)) : nil
            let scope = key.map { "\(tenant)|\($0)" } ?? ""
            if let entry = model.keys[scope], entry.createdAt.adding(milliseconds: Self.retention) <= now {
                model.keys[scope] = nil  // expired
            }
            let known = model.keys[scope]
            if kind != "check", let known, random.chance(60) {
                // A client retry: the same request again.
                kind = known.kind
                items = known.items
            }
            let request = try UsageRequest(
                tenant: tenant,
                items: SmallArray(items.map { UsageRequest.Item(metric: $0.0.code, amount: $0.1) }),
                idempotencyKey: key,
                allowZeroAmounts: kind == "check"
            )
            let described = "\(kind) " + items.map { "\($0.0.code):\($0.1)" }.joined(separator: ",")
            let context = Comment(rawValue: "seed \(seed), step \(step), \(tenant) \(described) at \(now)")

            // Idempotency: a known, unexpired key replays or conflicts (a check ignores keys).
            if kind != "check", let known {
                if known.request == described {
                    let replay = try ledger.consume(orRelease: kind, request, now: now)
                    var expected = known.decision
                    expected.replayed = true
                    #expect(replay == expected, context)
                    trace.decisions.append(replay)
                } else {
                    // Keys past their retention may go at any call; that is time passing, not a change.
                    ledger.expireIdempotencyKeys(now: now)
                    let before = LedgerSnapshot(ledger)
                    do {
                        _ = try ledger.consume(orRelease: kind, request, now: now)
                        Issue.record("expected an idempotency conflict; \(context)")
                    } catch let error as QuotaError {
                        #expect(error.code == .idempotencyConflict, context)
                        trace.outcomes.append(error.code.rawValue)
                    }
                    #expect(LedgerSnapshot(ledger) == before, context)
                }
                continue
            }

            let (expected, changes) = model.decide(kind, tenant: tenant, items: items, now: now)
            let decision =
                try kind == "check"
                ? ledger.check(request, now: now) : ledger.consume(orRelease: kind, request, now: now)
            trace.decisions.append(decision)
            #expect(decision.allowed == expected.allowed, context)
            #expect(decision.results == expected.results, context)
            #expect(decision.retryAfterMilliseconds == expected.retryAfterMilliseconds, context)
            #expect(decision.tenant == tenant.rawValue, context)
            #expect(decision.replayed == false, context)
            #expect((decision.eventID != nil) == (kind != "check" && decision.allowed), context)
            for item in decision.results {
                if let limit = item.limit {
                    #expect((0...limit).contains(item.remaining ?? -1), context)
                    if decision.allowed, kind == "consume", item.enforcement == .hard {
                        #expect(item.usage <= limit, "a hard limit was exceeded; \(context)")
                    }
                }
                #expect(item.usage >= 0, context)
            }
            if kind != "check" {
                for (usageKey, usage) in changes { model.usage[usageKey] = usage }
                if key != nil, decision.allowed {
                    model.keys[scope] = Model.KeyEntry(
                        kind: kind,
                        items: items,
                        request: described,
                        decision: decision,
                        createdAt: now
                    )
                }
            }
        }

        // Drain what is left (storage recovered), then compare the audit trail and the counters with the model.
        while ledger.writeBehind.pendingCount > 0 { flush(succeeding: true) }
        #expect(ledger.writeBehind.unflushedCount == 0)

        let sequences = trace.events.map(\.sequence)
        #expect(sequences == sequences.sorted() && Set(sequences).count == sequences.count, "seed \(seed): event order")
        #expect(sequences.last.map { $0 < ledger.nextEventSequence } ?? true)

        var eventSums: [String: Int64] = [:]
        for event in trace.events {
            eventSums[Model.usageKey(event.tenant, event.metric, event.periodStart), default: 0] += event.amount
        }
        let modelUsage = model.usage.filter { $0.value != 0 }
        #expect(eventSums.filter { $0.value != 0 } == modelUsage, "seed \(seed): usage = sum of the events per period")

        var latestRecords: [String: Int64] = [:]
        for record in trace.records {
            latestRecords[Model.usageKey(record.tenant, record.metric, record.periodStart)] = record.usage
        }
        #expect(
            latestRecords.filter { $0.value != 0 } == modelUsage,
            "seed \(seed): the last flushed record of each period"
        )

        for tenant in Self.tenants {
            for status in ledger.status(of: tenant, now: now) {
                let metric = try #require(Self.metrics.first { $0.code == status.metric })
                let period = metric.spec.period(containing: now)
                #expect(status.period == period)
                #expect(
                    status.usage == model.usage[Model.usageKey(tenant, metric.code, period.start)] ?? 0,
                    "seed \(seed)"
                )
                if let limit = status.limit { #expect((0...limit).contains(status.remaining ?? -1)) }
            }
        }
        return trace
    }

    @Test("random operations agree with the reference model", arguments: seeds)
    func agreesWithModel(seed: UInt64) throws {
        let trace = try Self.run(seed: seed)
        #expect(trace.decisions.count > Self.steps / 2)
        #expect(!trace.events.isEmpty)
        #expect(trace.decisions.contains { !$0.allowed }, "the run exercised denials")
        #expect(trace.decisions.contains { $0.replayed }, "the run exercised replays")
    }

    @Test("the same seed gives the same decisions, events and records", arguments: seeds.prefix(3))
    func deterministic(seed: UInt64) throws {
        let first = try Self.run(seed: seed)
        let second = try Self.run(seed: seed)
        #expect(first == second)
        let other = try Self.run(seed: seed &+ 1)
        #expect(first != other, "a different seed gives a different run")
    }

    @Test("SplitMix64 produces the reference sequence")
    func splitMixReference() {
        // The first outputs of the reference splitmix64.c for the seeds 0 and 1234567.
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
        #expect(zero.next() == 0x6E78_9E6A_A1B9_65F4)
        var other = SplitMix64(seed: 1_234_567)
        #expect(other.next() == 6_457_827_717_110_365_317)
        #expect(other.next() == 3_203_168_211_198_807_973)
    }
}

extension QuotaLedger {
    fileprivate mutating func consume(
        orRelease kind: String,
        _ request: UsageRequest,
        now: Timestamp
    ) throws -> Decision {
        try kind == "release" ? self.release(request, now: now) : self.consume(request, now: now)
    }
}
