import GRDB

/// Writes the rows of one table with multi-row `INSERT … VALUES (…), (…), …` statements of up to
/// ``rowsPerStatement`` rows each, their values bound through SQLite's C API (``ParameterBinder``).
///
/// The write-behind flush writes thousands of rows per batch; one statement per row cost an execution (reset, clear,
/// step) per row. Every row is inserted as by a statement of its own: `OR IGNORE` and `ON CONFLICT` apply per row, in
/// order.
///
/// The SQL of every statement size is built once, when the insert is made (a `static let` of the table's mapping),
/// and the statements are prepared once per connection and kept in GRDB's statement cache: rows go in statements of
/// ``rowsPerStatement`` rows, then the rest in at most one statement of each power of two below it (37 rows: 32, 4
/// and 1), so at most seven statements per table, and no persist builds SQL or prepares a statement once they are.
struct MultiRowInsert: Sendable {
    /// Rows per statement: 64 rows of 9 columns are 576 parameters, far below SQLite's limit (32,766 since 3.32).
    static let rowsPerStatement = 64

    /// One statement size: its row count and its SQL.
    private struct Size: Sendable {
        let rows: Int
        let sql: String
    }

    /// The statement sizes, largest first: ``rowsPerStatement``, then half the size before, down to 1 row.
    private let sizes: [Size]

    /// Makes the statements of `table` (its name and column list, as in `INSERT INTO table (columns)`), `columns`
    /// values per row, with `OR IGNORE` when `orIgnore`, and `conflictClause` (an upsert's `ON CONFLICT …`) after
    /// the values.
    init(into table: String, orIgnore: Bool = false, columns: Int, conflictClause: String = "") {
        let rowPlaceholder = "(" + repeatElement("?", count: columns).joined(separator: ", ") + ")"
        var sizes: [Size] = []
        var rows = Self.rowsPerStatement
        while rows >= 1 {
            let values = repeatElement(rowPlaceholder, count: rows).joined(separator: ", ")
            let sql = "INSERT \(orIgnore ? "OR IGNORE " : "")INTO \(table) VALUES \(values) \(conflictClause)"
            sizes.append(Size(rows: rows, sql: sql))
            rows /= 2
        }
        self.sizes = sizes
    }

    /// Inserts `rows` in order, the values of each bound by `bindRow`, one per column, in the order of the column
    /// list.
    ///
    /// - Throws: GRDB's `DatabaseError` when a statement fails (a constraint, the disk) or `bindRow` binds too few or
    ///   too many values; the rows written before stay in the caller's transaction.
    func execute<Element>(
        _ rows: [Element],
        _ db: Database,
        bindRow: (Element, inout ParameterBinder) throws -> Void
    ) throws {
        var start = rows.startIndex
        for size in self.sizes {
            while rows.endIndex - start >= size.rows {
                let end = start + size.rows
                try ParameterBinder.execute(db.cachedStatement(sql: size.sql), db) { binder in
                    for row in rows[start..<end] { try bindRow(row, &binder) }
                }
                start = end
            }
        }
    }
}
