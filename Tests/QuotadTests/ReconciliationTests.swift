import QuotaJSON
import Testing

@testable import quotactl

/// The checks of `quotactl reconcile` on hand-made rows: each kind of problem, and what is not one.
@Suite struct ReconciliationTests {
    static let period = "2026-11-01T00:00:00.000Z"

    /// A row of `acme`/`api_calls` in ``period`` whose record and events agree unless the caller says otherwise.
    static func row(
        tenant: String = "acme",
        metric: String = "api_calls",
        record: Int64? = 6,
        sum: Int64 = 6,
        count: Int64 = 3,
        digest: String = "dd584d992262c33d",
        audit: String = "full",
        role: String = "owner",
        consistent: Bool? = nil
    ) -> Answers.ReconcileRow {
        Answers.ReconcileRow(
            tenant: tenant,
            metric: metric,
            periodStart: Self.period,
            recordUsage: record,
            eventSum: sum,
            eventCount: count,
            eventDigest: digest,
            audit: audit,
            role: role,
            consistent: consistent ?? (audit == "aggregate" || (record ?? 0) == sum)
        )
    }

    static func report(_ node: String, _ rows: [Answers.ReconcileRow]) -> Reconciliation.NodeReport {
        Reconciliation.NodeReport(node: node, url: "http://127.0.0.1:808\(node.suffix(1))", rows: rows)
    }

    @Test func agreeingOwnerAndFollowerAreConsistent() {
        let reconciliation = Reconciliation(reports: [
            Self.report("n1", [Self.row(role: "owner")]),
            Self.report("n2", [Self.row(role: "follower")]),
            Self.report("n3", []),
        ])
        #expect(reconciliation.problems.isEmpty)
        #expect(reconciliation.isConsistent)
        #expect(reconciliation.rowCount == 2)
        #expect(HumanOutput.reconciliation(reconciliation) == ["consistent: 2 rows on 3 nodes"])
    }

    @Test func aRecordThatDisagreesWithItsEventsIsReportedOnAnyNodeAndRole() {
        let reconciliation = Reconciliation(reports: [
            Self.report("n1", [Self.row(record: 7, role: "owner")]),
            Self.report("n2", [Self.row(record: 7, role: "follower")]),
            Self.report("n3", [Self.row(record: nil, sum: 2, count: 1, role: "none")]),
        ])
        let problems = reconciliation.problems.filter { $0.kind == .recordVersusEvents }
        #expect(
            problems.map(\.detail) == [
                "n1 (owner): record 7 but events sum to 6 (3 events)",
                "n2 (follower): record 7 but events sum to 6 (3 events)",
                "n3 (none): record none but events sum to 2 (1 event)",
            ]
        )
        #expect(problems.allSatisfy { $0.tenant == "acme" && $0.metric == "api_calls" })
        #expect(problems.allSatisfy { $0.periodStart == Self.period })
        // Owner and follower agree with each other: nothing else is wrong.
        #expect(reconciliation.problems.count == 3)
    }

    @Test func aggregateRowsAreNotFlagged() {
        // An aggregate metric stores no events: its record alone is the usage, and the node calls it consistent.
        let aggregate = Self.row(metric: "bytes", record: 150, sum: 0, count: 0, digest: "0", audit: "aggregate")
        #expect(aggregate.consistent)
        var follower = aggregate
        follower.role = "follower"
        let reconciliation = Reconciliation(reports: [
            Self.report("n1", [aggregate]), Self.report("n2", [follower]),
        ])
        #expect(reconciliation.problems.isEmpty)
    }

    @Test func replicasThatDifferInAnyFigureDisagree() {
        let owner = Self.row(role: "owner")
        let variants: [Answers.ReconcileRow] = [
            Self.row(record: 5, sum: 5, count: 2, digest: "1a2b", role: "follower"),
            Self.row(record: 7, sum: 7, role: "follower"),
            Self.row(digest: "1a2b", role: "follower"),
            Self.row(count: 4, role: "follower"),
            Self.row(record: nil, sum: 0, count: 0, digest: "0", role: "follower"),
        ]
        for follower in variants {
            let reconciliation = Reconciliation(reports: [Self.report("n1", [owner]), Self.report("n2", [follower])])
            let disagreements = reconciliation.problems.filter { $0.kind == .replicasDisagree }
            #expect(disagreements.count == 1, "\(follower)")
        }
        let reconciliation = Reconciliation(reports: [
            Self.report("n1", [owner]), Self.report("n2", [variants[0]]),
        ])
        #expect(
            reconciliation.problems == [
                Reconciliation.Problem(
                    kind: .replicasDisagree,
                    tenant: "acme",
                    metric: "api_calls",
                    periodStart: Self.period,
                    detail: "n1 (owner): record 6, 3 events summing to 6, digest dd584d992262c33d; "
                        + "n2 (follower): record 5, 2 events summing to 5, digest 1a2b"
                )
            ]
        )
    }

    @Test func rowsOfNodesWithoutARoleAreLeftOutOfTheReplicaChecks() {
        // n3 holds a stale copy (role none) that differs: no disagreement, and it does not count as a replica.
        let reconciliation = Reconciliation(reports: [
            Self.report("n1", [Self.row(role: "owner")]),
            Self.report("n2", [Self.row(role: "follower")]),
            Self.report("n3", [Self.row(record: 2, sum: 2, count: 1, digest: "77", role: "none")]),
        ])
        #expect(reconciliation.problems.isEmpty)

        let unreplicated = Reconciliation(reports: [
            Self.report("n1", [Self.row(role: "owner")]),
            Self.report("n2", []),
            Self.report("n3", [Self.row(role: "none")]),
        ])
        #expect(
            unreplicated.problems == [
                Reconciliation.Problem(
                    kind: .missingReplica,
                    tenant: "acme",
                    metric: "api_calls",
                    periodStart: Self.period,
                    detail: "held only by n1 (owner); no owner or follower row on n2, n3"
                )
            ]
        )
    }

    @Test func aMissingReplicaIsOnlyReportedWhenSeveralNodesWereAsked() {
        let single = Reconciliation(reports: [Self.report("n1", [Self.row(role: "owner")])])
        #expect(single.problems.isEmpty)
        let noneHeld = Reconciliation(reports: [
            Self.report("n1", [Self.row(role: "none")]), Self.report("n2", [Self.row(role: "none")]),
        ])
        #expect(noneHeld.problems.isEmpty)
        let followerOnly = Reconciliation(reports: [
            Self.report("n1", []), Self.report("n2", [Self.row(role: "follower")]),
        ])
        #expect(followerOnly.problems.map(\.kind) == [.missingReplica])
    }

    @Test func problemsAreOrderedByPeriodThenKindAndPrintedAsATableAndJSON() throws {
        let reconciliation = Reconciliation(reports: [
            Self.report("n1", [Self.row(tenant: "globex", role: "owner"), Self.row(record: 9, role: "owner")]),
            Self.report("n2", [Self.row(record: 9, role: "follower")]),
        ])
        #expect(
            reconciliation.problems.map { "\($0.tenant) \($0.kind.rawValue)" } == [
                "acme record_vs_events", "acme record_vs_events", "globex missing_replica",
            ]
        )
        #expect(
            HumanOutput.reconciliation(reconciliation) == [
                "KIND              TENANT  METRIC     PERIOD START              DETAIL",
                "record_vs_events  acme    api_calls  2026-11-01T00:00:00.000Z  "
                    + "n1 (owner): record 9 but events sum to 6 (3 events)",
                "record_vs_events  acme    api_calls  2026-11-01T00:00:00.000Z  "
                    + "n2 (follower): record 9 but events sum to 6 (3 events)",
                "missing_replica   globex  api_calls  2026-11-01T00:00:00.000Z  "
                    + "held only by n1 (owner); no owner or follower row on n2",
                "3 problems in 3 rows on 2 nodes",
            ]
        )
        let json = String(decoding: try ReconcileCommand.json(reconciliation).encoded(), as: UTF8.self)
        #expect(
            json == #"{"nodes":[{"node":"n1","rows":2,"url":"http://127.0.0.1:8081"},"#
                + #"{"node":"n2","rows":1,"url":"http://127.0.0.1:8082"}],"problems":["#
                + #"{"detail":"n1 (owner): record 9 but events sum to 6 (3 events)","kind":"record_vs_events","#
                + #""metric":"api_calls","period_start":"2026-11-01T00:00:00.000Z","tenant":"acme"},"#
                + #"{"detail":"n2 (follower): record 9 but events sum to 6 (3 events)","kind":"record_vs_events","#
                + #""metric":"api_calls","period_start":"2026-11-01T00:00:00.000Z","tenant":"acme"},"#
                + #"{"detail":"held only by n1 (owner); no owner or follower row on n2","kind":"missing_replica","#
                + #""metric":"api_calls","period_start":"2026-11-01T00:00:00.000Z","tenant":"globex"}],"rows":3}"#
        )
    }
}
