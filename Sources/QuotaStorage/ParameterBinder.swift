import GRDB
import GRDBSQLite

/// Binds the parameters of one GRDB `Statement`, in order from the first, straight through SQLite's C API
/// (`sqlite3_bind_*` on the statement's `sqliteStatement`), then executes it with GRDB.
///
/// GRDB's `StatementArguments` box each value as a `DatabaseValue` and map them through a key path before binding:
/// for the thousands of values of a write-behind batch, about a quarter of the flush thread's time went there. Here
/// an integer is bound as a 64-bit integer, a string as its UTF-8 bytes with their byte count (copied by SQLite when
/// bound, `SQLITE_TRANSIENT`, so the string need not outlive the call), and a missing optional as NULL. Every return
/// code is checked: a failure throws GRDB's `DatabaseError` with the parameter's index and the statement's SQL.
///
/// GRDB still runs the statement (``execute(_:_:binding:)``): its transaction checks, its observation and its error
/// for a failed step stay as for any other statement.
struct ParameterBinder {
    /// SQLite's `SQLITE_TRANSIENT` destructor: SQLite copies the bytes before the bind call returns.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }

    /// The address bound for an empty string, which SQLite must not see as a NULL pointer (that binds NULL): a
    /// static string literal, valid for the life of the process.
    private static var emptyText: UnsafePointer<CChar> {
        UnsafeRawPointer(("" as StaticString).utf8Start).assumingMemoryBound(to: CChar.self)
    }

    private let statement: Statement

    /// The 1-based index of the next parameter to bind.
    private var index: CInt = 1

    private init(_ statement: Statement) {
        self.statement = statement
    }

    /// Resets `statement`, binds all of its parameters through `binding`, checks that every one was bound, and
    /// executes the statement with GRDB (every step, as `Statement.execute()` does).
    ///
    /// GRDB is told the statement has no arguments of its own (`setUncheckedArguments` with none, which also
    /// clears the previous bindings and marks the arguments valid and bound), so its `execute()` only resets the
    /// statement, which keeps the bindings, and steps it: it neither validates nor binds arguments itself.
    ///
    /// - Throws: GRDB's `DatabaseError` when the reset or a bind fails, when `binding` bound fewer parameters than
    ///   the statement has (`SQLITE_RANGE` past the last is the bind's own error), or when the execution fails.
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
        let expected = sqlite3_bind_parameter_count(statement.sqliteStatement)
        guard binder.index - 1 == expected else {
            throw DatabaseError(
                resultCode: .SQLITE_RANGE,
                message: "\(binder.index - 1) of the statement's \(expected) parameters bound",
                sql: statement.sql
            )
        }
        try statement.execute()
    }

    /// Binds `value` as a 64-bit integer to the next parameter.
    mutating func bind(_ value: Int64) throws {
        try self.check(sqlite3_bind_int64(self.statement.sqliteStatement, self.index, value))
    }

    /// Binds the UTF-8 bytes of `value` as text to the next parameter.
    mutating func bind(_ value: String) throws {
        var text = value
        let code = text.withUTF8 { bytes in
            sqlite3_bind_text64(
                self.statement.sqliteStatement,
                self.index,
                bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) } ?? Self.emptyText,
                sqlite3_uint64(bytes.count),
                Self.transient,
                UInt8(SQLITE_UTF8)
            )
        }
        try self.check(code)
    }

    /// Binds `value` as text to the next parameter, or NULL when it is `nil`.
    mutating func bind(_ value: String?) throws {
        guard let value else {
            try self.check(sqlite3_bind_null(self.statement.sqliteStatement, self.index))
            return
        }
        try self.bind(value)
    }

    /// Moves on to the next parameter when `code` is `SQLITE_OK`; throws otherwise.
    private mutating func check(_ code: CInt) throws {
        guard code == SQLITE_OK else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: "binding parameter \(self.index): \(String(cString: sqlite3_errstr(code)))",
                sql: self.statement.sql
            )
        }
        self.index += 1
    }
}
