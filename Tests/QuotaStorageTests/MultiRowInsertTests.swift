import Foundation
import GRDB
import Testing

@testable import QuotaStorage

/// `MultiRowInsert` and `ParameterBinder` on a table of their own, in memory: statement sizes, order, bindings that
/// do not fit the statement, and statements used again after a failure.
@Suite("Multi-row inserts bound through SQLite's C API")
struct MultiRowInsertTests {
    /// A table of an integer that must not be negative and a text that may be NULL.
    static func makeQueue() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a INTEGER NOT NULL CHECK (a >= 0), b TEXT)")
        }
        return queue
    }

    static let insert = MultiRowInsert(into: "t (a, b)", columns: 2)

    /// Row `n`: `a` is `n`, `b` is NULL for every third row and a non-ASCII text otherwise.
    static func text(_ n: Int) -> String? { n % 3 == 0 ? nil : "ü-\(n)-租" }

    /// Inserts rows 0..<`count` and returns the rows of each statement executed, in order.
    static func insertRows(_ count: Int, _ queue: DatabaseQueue) throws -> [Int] {
        try queue.write { db in
            let statements = StatementRows()
            db.trace { event in
                if case .statement(let statement) = event { statements.record(statement.sql) }
            }
            defer { db.trace(nil) }
            try Self.insert.execute(Array(0..<count), db) { n, binder in
                try binder.bind(Int64(n))
                try binder.bind(Self.text(n))
            }
            return statements.rows
        }
    }

    @Test(
        "rows go in statements of 64 rows, then at most one of each smaller power of two, in order",
        arguments: [
            (0, []), (1, [1]), (2, [2]), (63, [32, 16, 8, 4, 2, 1]), (64, [64]), (65, [64, 1]),
            (100, [64, 32, 4]), (129, [64, 64, 1]),
        ] as [(Int, [Int])]
    )
    func statementSizes(count: Int, expected: [Int]) throws {
        let queue = try Self.makeQueue()
        #expect(try Self.insertRows(count, queue) == expected)
        let rows = try queue.read { try Row.fetchAll($0, sql: "SELECT a, b FROM t ORDER BY rowid") }
        #expect(rows.map { $0["a"] as Int } == Array(0..<count), "every row once, in order")
        #expect(rows.map { $0["b"] as String? } == (0..<count).map(Self.text))
    }

    @Test("a row bound short or long throws SQLITE_RANGE naming the statement; the statement works again after")
    func wrongParameterCounts() throws {
        let queue = try Self.makeQueue()
        let short = #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try Self.insert.execute([1, 2], db) { n, binder in try binder.bind(Int64(n)) }
            }
        }
        #expect(short?.resultCode == .SQLITE_RANGE)
        #expect(short?.message == "2 of the statement's 4 parameters bound")
        #expect(short?.sql?.hasPrefix("INSERT INTO t (a, b) VALUES (?, ?), (?, ?)") == true)
        let long = #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try Self.insert.execute([1, 2], db) { n, binder in
                    try binder.bind(Int64(n))
                    try binder.bind("x")
                    try binder.bind(Int64(n))
                }
            }
        }
        #expect(long?.resultCode == .SQLITE_RANGE)
        #expect(long?.message?.hasPrefix("binding parameter 5:") == true, "the second row's second value is the fifth")
        // The same statements, from GRDB's cache with the failed bindings: reset and bound anew.
        #expect(try Self.insertRows(2, queue) == [2])
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM t WHERE b IS NOT NULL") } == 1)
    }

    @Test("a statement that fails a constraint throws, and a statement of its size runs again after")
    func failedStepThenReuse() throws {
        let queue = try Self.makeQueue()
        let failure = #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try Self.insert.execute(Array(0..<64), db) { n, binder in
                    try binder.bind(Int64(n == 40 ? -1 : n))
                    try binder.bind(Self.text(n))
                }
            }
        }
        #expect(failure?.resultCode == .SQLITE_CONSTRAINT)
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM t") } == 0)
        #expect(try Self.insertRows(64, queue) == [64])
        #expect(try Self.insertRows(64, queue) == [64])
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM t") } == 128)
    }
}

/// The row count of each multi-row statement traced, from its SQL (one `(?` per row).
private final class StatementRows: @unchecked Sendable {
    private(set) var rows: [Int] = []

    func record(_ sql: String) {
        guard sql.hasPrefix("INSERT") else { return }
        self.rows.append(sql.components(separatedBy: "(?").count - 1)
    }
}
