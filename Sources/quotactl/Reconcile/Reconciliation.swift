/// The checks of `quotactl reconcile` over the rows of `GET /v1/admin/reconcile` from one or more nodes, without I/O.
///
/// Three kinds of ``Problem``:
///
/// * ``Kind/recordVersusEvents``: a node reports a row as not consistent — its record disagrees with the sum of its
///   stored events, so usage was lost or counted twice. Rows of every role count; `aggregate` rows, which store no
///   events, are consistent by definition (the node says so).
/// * ``Kind/replicasDisagree``: the rows of one (tenant, metric, period start) on the nodes that own or follow the
///   tenant's shard differ in record usage, event sum, event count or event digest.
/// * ``Kind/missingReplica``: when more than one node was asked, a (tenant, metric, period start) that only one node
///   holds as owner or follower.
///
/// Rows of nodes whose role is `none` (a stale copy, or a node that has not been synced yet) are left out of the two
/// replica checks.
struct Reconciliation {
    /// What one node answered.
    struct NodeReport: Hashable {
        /// The node's id, from its answer.
        var node: String
        /// The URL it was asked at.
        var url: String
        var rows: [Answers.ReconcileRow]
    }

    /// The kind of a ``Problem``; the raw value is the `kind` of the JSON output.
    enum Kind: String, CaseIterable, Comparable {
        case recordVersusEvents = "record_vs_events"
        case replicasDisagree = "replicas_disagree"
        case missingReplica = "missing_replica"

        static func < (lhs: Self, rhs: Self) -> Bool {
            Self.allCases.firstIndex(of: lhs)! < Self.allCases.firstIndex(of: rhs)!
        }
    }

    /// One (tenant, metric, period start) that fails a check, with a sentence naming the nodes and figures involved.
    struct Problem: Hashable {
        var kind: Kind
        var tenant: String
        var metric: String
        var periodStart: String
        var detail: String
    }

    /// Identifies the rows of one period across nodes.
    private struct Key: Hashable, Comparable {
        var tenant: String
        var metric: String
        var periodStart: String

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.tenant, lhs.metric, lhs.periodStart) < (rhs.tenant, rhs.metric, rhs.periodStart)
        }
    }

    /// The roles whose rows must agree across nodes.
    static let replicaRoles: Set<String> = ["owner", "follower"]

    /// The reports, in the order the nodes were given.
    let reports: [NodeReport]
    /// Every problem found, ordered by tenant, metric, period start, then kind.
    let problems: [Problem]

    /// Runs every check over `reports`.
    init(reports: [NodeReport]) {
        self.reports = reports
        var problems: [Problem] = []
        var holders: [Key: [(node: String, row: Answers.ReconcileRow)]] = [:]
        for report in reports {
            for row in report.rows {
                let key = Key(tenant: row.tenant, metric: row.metric, periodStart: row.periodStart)
                if !row.consistent {
                    problems.append(
                        Self.problem(
                            .recordVersusEvents,
                            key,
                            "\(Self.label(report.node, row)): record \(Self.record(row)) but events sum to "
                                + "\(row.eventSum) (\(Self.events(row.eventCount)))"
                        )
                    )
                }
                if Self.replicaRoles.contains(row.role) {
                    holders[key, default: []].append((report.node, row))
                }
            }
        }
        for (key, rows) in holders {
            if rows.count == 1, reports.count > 1 {
                let others = reports.map(\.node).filter { $0 != rows[0].node }
                problems.append(
                    Self.problem(
                        .missingReplica,
                        key,
                        "held only by \(Self.label(rows[0].node, rows[0].row)); "
                            + "no owner or follower row on \(others.joined(separator: ", "))"
                    )
                )
            }
            let figures = Set(rows.map { Figures($0.row) })
            if figures.count > 1 {
                let described = rows.map { node, row in
                    "\(Self.label(node, row)): record \(Self.record(row)), \(Self.events(row.eventCount)) "
                        + "summing to \(row.eventSum), digest \(row.eventDigest)"
                }
                problems.append(Self.problem(.replicasDisagree, key, described.joined(separator: "; ")))
            }
        }
        self.problems = problems.sorted { lhs, rhs in
            let left = Key(tenant: lhs.tenant, metric: lhs.metric, periodStart: lhs.periodStart)
            let right = Key(tenant: rhs.tenant, metric: rhs.metric, periodStart: rhs.periodStart)
            if left != right { return left < right }
            if lhs.kind != rhs.kind { return lhs.kind < rhs.kind }
            return lhs.detail < rhs.detail
        }
    }

    /// The number of rows over all reports.
    var rowCount: Int { self.reports.reduce(0) { $0 + $1.rows.count } }

    /// Whether every check passed.
    var isConsistent: Bool { self.problems.isEmpty }

    /// What replicas of one period must agree on.
    private struct Figures: Hashable {
        var recordUsage: Int64?
        var eventSum: Int64
        var eventCount: Int64
        var eventDigest: String

        init(_ row: Answers.ReconcileRow) {
            self.recordUsage = row.recordUsage
            self.eventSum = row.eventSum
            self.eventCount = row.eventCount
            self.eventDigest = row.eventDigest.lowercased()
        }
    }

    /// A problem of the period `key`.
    private static func problem(_ kind: Kind, _ key: Key, _ detail: String) -> Problem {
        Problem(kind: kind, tenant: key.tenant, metric: key.metric, periodStart: key.periodStart, detail: detail)
    }

    /// `n2 (follower)`.
    private static func label(_ node: String, _ row: Answers.ReconcileRow) -> String {
        "\(node) (\(row.role))"
    }

    /// The record's usage, or `none` when the period has events but no record.
    private static func record(_ row: Answers.ReconcileRow) -> String {
        row.recordUsage.map(String.init) ?? "none"
    }

    /// `1 event`, `3 events`.
    private static func events(_ count: Int64) -> String {
        Format.count(Int(count), "event")
    }
}
