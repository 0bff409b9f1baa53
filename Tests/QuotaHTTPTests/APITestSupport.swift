import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import QuotaCore
import QuotaHTTP
import QuotaNode
import QuotaStorage
import Synchronization

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let current: Mutex<Timestamp>

    init(_ start: Timestamp = Timestamp(millisecondsSinceEpoch: 1_795_000_000_000)) { self.current = Mutex(start) }

    var now: Timestamp { self.current.withLock { $0 } }

    func advance(milliseconds: Int64) { self.current.withLock { $0 = $0.adding(milliseconds: milliseconds) } }
}

/// A fresh engine over a SQLite file in a new temporary directory.
func makeEngine(
    clock: ManualClock = ManualClock(),
    ledger: LedgerConfiguration = LedgerConfiguration()
) async throws -> QuotaEngine {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quota-http-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let store = try SQLiteQuotaStore(path: directory.appendingPathComponent("quota.sqlite").path)
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    return try await QuotaEngine(
        configuration: try NodeConfiguration(nodeID: "t1", ledger: ledger),
        store: store,
        clock: { clock.now },
        logger: logger
    )
}

/// Runs `body` against the router of a fresh engine, without sockets.
func withAPI(
    clock: ManualClock = ManualClock(),
    ledger: LedgerConfiguration = LedgerConfiguration(),
    _ body: @escaping @Sendable (any TestClientProtocol, QuotaEngine) async throws -> Void
) async throws {
    let engine = try await makeEngine(clock: clock, ledger: ledger)
    let app = Application(router: buildRouter(engine: engine))
    try await app.test(.router) { client in try await body(client, engine) }
}

extension TestClientProtocol {
    /// Sends a JSON body (given as text so tests can send malformed JSON too).
    @discardableResult
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        _ json: String? = nil,
        headers: HTTPFields = [:]
    )
        async throws -> TestResponse
    {
        try await self.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body parsed as a JSON object.
    var json: [String: Any] {
        guard let body = self.body.getString(at: self.body.readerIndex, length: self.body.readableBytes),
            let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        else { return [:] }
        return object
    }

    /// `error.code` of an error body.
    var errorCode: String? { (self.json["error"] as? [String: Any])?["code"] as? String }

    /// `error.message` of an error body.
    var errorMessage: String? { (self.json["error"] as? [String: Any])?["message"] as? String }

    /// The first result of a decision body.
    var firstResult: [String: Any] { (self.json["results"] as? [[String: Any]])?.first ?? [:] }

    func header(_ name: String) -> String? { self.headers[HTTPField.Name(name)!] }
}

/// The usage of `metric` in a status body, or nil when the metric is absent.
func usage(of metric: String, in status: [String: Any]) -> Int? {
    let metrics = status["metrics"] as? [[String: Any]] ?? []
    return metrics.first { $0["metric"] as? String == metric }?["usage"] as? Int
}
