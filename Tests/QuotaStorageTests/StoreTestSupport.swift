import Foundation
import GRDB
import QuotaCore
import QuotaStorage
import Testing

/// A fresh directory under the system temporary directory, removed (with the database and its
/// -wal/-shm files) when `body` returns or throws. Each test gets its own.
func withTemporaryDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("quota-storage-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory.appendingPathComponent("quota.sqlite").path)
}

/// Reads the file directly, bypassing the store, to see what SQLite holds.
func rawRows(_ path: String, _ sql: String) throws -> [Row] {
    var configuration = Configuration()
    configuration.readonly = true
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    return try queue.read { try Row.fetchAll($0, sql: sql) }
}

func rawCount(_ path: String, _ table: String) throws -> Int {
    try rawRows(path, "SELECT COUNT(*) AS n FROM \(table)").first?["n"] ?? -1
}

enum StoreFixture {
    /// 2026-03-10T12:00:00Z.
    static let t0 = Timestamp(millisecondsSinceEpoch: 1_773_144_000_000)
    static let acme = try! TenantID("acme")
    static let globex = try! TenantID("globex")
    static let calls = try! MetricCode("api_calls")
    static let products = try! MetricCode("products")
    static let bytes = try! MetricCode("storage_bytes")

    static func at(_ milliseconds: Int64) -> Timestamp { t0.adding(milliseconds: milliseconds) }

    static func event(
        _ sequence: Int64,
        tenant: TenantID = acme,
        metric: MetricCode = calls,
        amount: Int64 = 1,
        periodStart: Timestamp = t0,
        createdAt: Timestamp? = nil,
        key: String? = nil,
        metadata: String? = nil
    ) throws -> UsageEvent {
        UsageEvent(
            eventID: "n1-1-\(sequence)",
            sequence: sequence,
            tenant: tenant,
            metric: metric,
            amount: amount,
            periodStart: periodStart,
            idempotencyKey: try key.map(IdempotencyKey.init),
            metadata: metadata,
            createdAt: createdAt ?? at(sequence * 1_000)
        )
    }

    static func record(
        tenant: TenantID = acme,
        metric: MetricCode = calls,
        start: Timestamp,
        lengthMilliseconds: Int64 = 60_000,
        usage: Int64
    ) -> UsageRecord {
        UsageRecord(
            tenant: tenant,
            metric: metric,
            periodStart: start,
            periodEnd: start.adding(milliseconds: lengthMilliseconds),
            usage: usage,
            updatedAt: start.adding(milliseconds: 1)
        )
    }

    static func decision(eventID: String? = "n1-1-1", limit: Int64? = 100, usage: Int64 = 5) -> Decision {
        Decision(
            allowed: true,
            tenant: "acme",
            results: [
                Decision.Item(
                    metric: "api_calls",
                    allowed: true,
                    enforcement: limit == nil ? .none : .hard,
                    usage: usage,
                    limit: limit,
                    remaining: limit.map { $0 - usage },
                    exceeded: false,
                    overage: 0,
                    periodStart: t0,
                    periodEnd: at(60_000)
                )
            ],
            eventID: eventID,
            retryAfterMilliseconds: nil
        )
    }
}
