import QuotaJSON

/// The human-readable rendering of each API answer: compact aligned tables, one row per metric, limit or event.
enum HumanOutput {
    static func limits(_ limits: [Answers.Limit], tenant: String) -> [String] {
        guard !limits.isEmpty else { return ["tenant \(tenant) has no limits"] }
        let rows = limits.map { limit in
            [
                limit.metric, String(limit.limit), limit.period, limit.enforcement, Self.anchor(limit.anchor),
                limit.timeZone ?? "-", limit.audit ?? "-",
            ]
        }
        return Table(header: ["METRIC", "LIMIT", "PERIOD", "ENFORCEMENT", "ANCHOR", "TIME ZONE", "AUDIT"], rows: rows)
            .lines()
    }

    /// One line per metric result, then a line naming the event and the serving node.
    ///
    /// `ALLOWED api_calls usage=5/100 remaining=95 resets=…`, or `DENIED (hard) … retry after 37s`.
    /// The usage, limit and remaining figures are the node's, unchanged.
    static func decision(_ decision: Answers.Decision) -> [String] {
        let rows = decision.results.map { result in
            var row = [
                Self.verdict(result, requestAllowed: decision.allowed),
                result.metric,
                "usage=\(result.usage)/\(result.limit.map(String.init) ?? "unlimited")",
                "remaining=\(Format.optional(result.remaining))",
                result.overage > 0 ? "overage=\(result.overage)" : "",
                result.periodEnd.map { "resets=\($0)" } ?? "",
            ]
            if !result.allowed, let retryAfter = decision.retryAfter {
                row.append("retry after \(Format.seconds(retryAfter.rounded(.up)))")
            }
            return row
        }
        var lines = Table(rows: rows).droppingEmptyColumns().lines()
        if !decision.allowed && !decision.results.contains(where: { !$0.allowed }) {
            lines.append("DENIED")
        }
        var trailer =
            decision.eventId.map { "event \($0) served by \(decision.servedBy)" }
            ?? "served by \(decision.servedBy)"
        if decision.replayed {
            trailer += " (replayed: this idempotency key was already applied)"
        }
        lines.append(trailer)
        return lines
    }

    static func status(_ status: Answers.Status) -> [String] {
        guard !status.metrics.isEmpty else {
            return ["tenant \(status.tenant) has no usage or limits", "served by \(status.servedBy)"]
        }
        let rows = status.metrics.map { metric in
            [
                metric.metric, String(metric.usage), Format.optional(metric.limit), Format.optional(metric.remaining),
                metric.enforcement, metric.period, metric.periodStart ?? "-", metric.periodEnd ?? "-",
                Format.yesNo(metric.exceeded),
            ]
        }
        let header = [
            "METRIC", "USAGE", "LIMIT", "REMAINING", "ENFORCEMENT", "PERIOD", "PERIOD START", "PERIOD END", "EXCEEDED",
        ]
        return Table(header: header, rows: rows).lines() + ["served by \(status.servedBy)"]
    }

    static func events(_ page: Answers.EventPage) throws -> [String] {
        var lines: [String]
        if page.events.isEmpty {
            lines = ["no events"]
        } else {
            let rows = try page.events.map { event in
                [
                    event.eventId, event.metric, String(event.amount), event.createdAt, event.idempotencyKey ?? "-",
                    try event.metadata.map { try $0.canonicalText() } ?? "-",
                ]
            }
            let header = ["EVENT ID", "METRIC", "AMOUNT", "CREATED AT", "IDEMPOTENCY KEY", "METADATA"]
            lines = Table(header: header, rows: rows).lines()
        }
        if let cursor = page.nextCursor {
            lines.append("more events: pass --cursor \(cursor)")
        }
        return lines
    }

    static func records(_ list: Answers.RecordList) -> [String] {
        guard !list.records.isEmpty else { return ["tenant \(list.tenant) has no usage records"] }
        let rows = list.records.map { record in
            [record.metric, record.periodStart, record.periodEnd, String(record.usage), record.updatedAt]
        }
        return Table(header: ["METRIC", "PERIOD START", "PERIOD END", "USAGE", "UPDATED AT"], rows: rows).lines()
    }

    /// The members table, then one line summing up the shards as the answering node sees them.
    ///
    /// `LAST HEARD` is `-` for the node itself and for a member it never heard; `LEASE` (what remains of the
    /// answering node's lease from the member) is `-` for the node itself.
    static func cluster(_ cluster: Answers.Cluster) -> [String] {
        let rows = cluster.members.map { member in
            let isSelf = member.state == "self"
            return [
                member.id, member.state, member.address ?? "-", String(member.incarnation),
                member.lastHeardMillisecondsAgo.map { "\(Format.milliseconds($0)) ago" } ?? "-",
                isSelf ? "-" : Format.milliseconds(member.leaseRemainingMilliseconds),
                Format.yesNo(member.connected),
            ]
        }
        let header = ["ID", "STATE", "ADDRESS", "INCARNATION", "LAST HEARD", "LEASE", "CONNECTED"]
        let summary = cluster.summary
        let owners = summary.owners.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return Table(header: header, rows: rows).lines() + [
            "node \(cluster.node) (incarnation \(cluster.incarnation)): \(summary.shards) shards, owns \(summary.owned), "
                + "follows \(summary.followed), moving \(summary.moving); highest epoch \(summary.highestEpoch); "
                + "shards per owner: \(owners.isEmpty ? "-" : owners.joined(separator: " "))"
        ]
    }

    /// The problems found, one row each, and a count; or `consistent: N rows on M nodes`.
    static func reconciliation(_ reconciliation: Reconciliation) -> [String] {
        let scope =
            "\(Format.count(reconciliation.rowCount, "row")) on \(Format.count(reconciliation.reports.count, "node"))"
        guard !reconciliation.isConsistent else { return ["consistent: \(scope)"] }
        let rows = reconciliation.problems.map { problem in
            [problem.kind.rawValue, problem.tenant, problem.metric, problem.periodStart, problem.detail]
        }
        return Table(header: ["KIND", "TENANT", "METRIC", "PERIOD START", "DETAIL"], rows: rows).lines() + [
            "\(Format.count(reconciliation.problems.count, "problem")) in \(scope)"
        ]
    }

    /// `ALLOWED`, `ALLOWED (soft, exceeded)` or `DENIED (hard)`; `NOT APPLIED` for a metric that would have been
    /// allowed in a multi-item request that another metric denied, since a request is decided as a whole.
    private static func verdict(_ result: Answers.MetricResult, requestAllowed: Bool) -> String {
        if !result.allowed { return "DENIED (\(result.enforcement))" }
        if !requestAllowed { return "NOT APPLIED" }
        return result.exceeded ? "ALLOWED (\(result.enforcement), exceeded)" : "ALLOWED"
    }

    private static func anchor(_ anchor: Answers.Anchor?) -> String {
        let parts = [anchor?.month.map { "month=\($0)" }, anchor?.day.map { "day=\($0)" }].compactMap { $0 }
        return parts.isEmpty ? "-" : parts.joined(separator: " ")
    }
}
