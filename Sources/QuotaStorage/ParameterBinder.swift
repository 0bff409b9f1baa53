import GRDB
import GRDBSQLite

/// Binds the parameters of one GRDB `Statement`, in order from the first, straight through SQLite's C API
/// (`sqlite3_bind_*` on the statement's `sqliteStatement`), then executes it with GRDB.
///
/// GRDB's `StatementArguments` box each value as a `DatabaseValue` and map them through a key path before binding:
/// for the thousands of values of a write-behind batch, about a quarter of the flush thread's time went there. Here
/// an integer is bound as a 64-bit integer, a missing optional as NULL, and a string as its UTF-8 bytes with their
/// byte count. Every return code is checked: a failure throws GRDB's `DatabaseError` with the parameter's index and
/// the statement's SQL.
///
/// The strings of a statement are copied into one buffer (``texts``) and bound as `SQLITE_STATIC` (SQLite reads them
/// in place) while the buffer is pinned for the execution, then the bindings are cleared before it is released:
/// `SQLITE_TRANSIENT` made SQLite allocate and free a copy of every string, two or three allocations per row.
///
/// GRDB still runs the statement (``execute(_:_:binding:)``): its transaction checks, its observation and its error
/// for a failed step stay as for any other statement.
struct ParameterBinder {
    /// The address bound for an empty string, which SQLite must not see as a NULL pointer (that binds NULL): a
    /// static string literal, valid for the life of the process.
    private static var emptyText: UnsafePointer<CChar> {
        UnsafeRawPointer(("" as StaticString).utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// A string parameter waiting for ``texts`` to be pinned: its 1-based index and its bytes' range in ``texts``.
    private struct PendingText {
        let index: CInt
        let offset: Int
        let count: Int
    }

    private let statement: Statement

    /// The number of the statement's parameters.
    private let parameterCount: CInt

    /// The 1-based index of the next parameter to bind.
    private var index: CInt = 1

    /// The UTF-8 bytes of the statement's strings, one after the other.
    private var texts: [UInt8] = []

    /// The string parameters, bound from ``texts`` once all are appended (appending may move the buffer).
    private var pendingTexts: [PendingText] = []

    private init(_ statement: Statement) {
        self.statement = statement
        self.parameterCount = sqlite3_bind_parameter_count(statement.sqliteStatement)
        self.pendingTexts.reserveCapacity(Int(self.parameterCount))
        self.texts.reserveCapacity(Int(self.parameterCount) * 16)
    }

    /// Resets `statement`, binds all of its parameters through `binding`, checks that every one was bound, executes
    /// the statement with GRDB (every step, as `Statement.execute()` does), and clears its bindings.
    ///
    /// GRDB is told the statement has no arguments of its own (`setUncheckedArguments` with none, which also
    /// clears the previous bindings and marks the arguments valid and bound), so its `execute()` only resets the
    /// statement, which keeps the bindings, and steps it: it neither validates nor binds arguments itself.
    ///
    /// - Throws: GRDB's `DatabaseError` when the reset or a bind fails, when `binding` binds fewer or more values
    ///   than the statement has parameters (`SQLITE_RANGE`), or when the execution fails.
    static func execute(
        _ statement: Statement,
        _ database: Database,
        binding: (inout ParameterBinder) throws -> Void
    ) throws {
        // GRDB drops a statement whose step failed from its cache, so a cached one resets cleanly; checked here
        // anyway, because `setUncheckedArguments` resets it again with `try!`.
        let code = sqlite3_reset(statement.sqliteStatement)
        guard code == SQLITE_OK else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: database.lastErrorMessage,
                sql: statement.sql
            )
        }
        statement.setUncheckedArguments(StatementArguments())
        var binder = ParameterBinder(statement)
        try binding(&binder)
        guard binder.index - 1 == binder.parameterCount else {
            throw DatabaseError(
                resultCode: .SQLITE_RANGE,
                message: "\(binder.index - 1) of the statement's \(binder.parameterCount) parameters bound",
                sql: statement.sql
            )
        }
        try binder.texts.withUnsafeBufferPointer { texts in
            // Whatever happens from the first bind on, the bindings are cleared before `texts` is released.
            let executed = Result {
                for text in binder.pendingTexts {
                    try binder.check(
                        sqlite3_bind_text64(
                            statement.sqliteStatement,
                            text.index,
                            // A text of one byte or more is in `texts`, which then has an address.
                            text.count == 0
                                ? Self.emptyText
                                : UnsafeRawPointer(texts.baseAddress! + text.offset)
                                    .assumingMemoryBound(to: CChar.self),
                            sqlite3_uint64(text.count),
                            nil,  // SQLITE_STATIC: the bytes stay valid and unchanged until the bindings are cleared.
                            UInt8(SQLITE_UTF8)
                        ),
                        index: text.index
                    )
                }
                try statement.execute()
            }
            let cleared = sqlite3_clear_bindings(statement.sqliteStatement)
            try executed.get()
            try binder.check(cleared, index: 0)
        }
    }

    /// Binds `value` as a 64-bit integer to the next parameter.
    mutating func bind(_ value: Int64) throws {
        let index = try self.next()
        try self.check(sqlite3_bind_int64(self.statement.sqliteStatement, index, value), index: index)
    }

    /// Binds the UTF-8 bytes of `value` as text to the next parameter.
    mutating func bind(_ value: String) throws {
        let index = try self.next()
        let offset = self.texts.count
        self.texts.append(contentsOf: value.utf8)
        self.pendingTexts.append(PendingText(index: index, offset: offset, count: self.texts.count - offset))
    }

    /// Binds `value` as text to the next parameter, or NULL when it is `nil`.
    mutating func bind(_ value: String?) throws {
        guard let value else {
            let index = try self.next()
            try self.check(sqlite3_bind_null(self.statement.sqliteStatement, index), index: index)
            return
        }
        try self.bind(value)
    }

    /// The index of the next parameter, which is then the one after.
    ///
    /// - Throws: `SQLITE_RANGE` past the statement's last parameter.
    private mutating func next() throws -> CInt {
        let index = self.index
        guard index <= self.parameterCount else { throw self.error(SQLITE_RANGE, index: index) }
        self.index += 1
        return index
    }

    /// Throws when `code`, the result of binding parameter `index` (0: of clearing the bindings), is not
    /// `SQLITE_OK`.
    private func check(_ code: CInt, index: CInt) throws {
        guard code == SQLITE_OK else { throw self.error(code, index: index) }
    }

    /// The error `code` of binding parameter `index` (0: of clearing the bindings), with SQLite's text for the code.
    private func error(_ code: CInt, index: CInt) -> DatabaseError {
        let what = index == 0 ? "clearing the bindings" : "binding parameter \(index)"
        return DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: "\(what): \(String(cString: sqlite3_errstr(code)))",
            sql: self.statement.sql
        )
    }
}
