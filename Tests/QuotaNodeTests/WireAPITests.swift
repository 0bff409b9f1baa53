import Logging
import NIOPosix
import QuotaCore
import QuotaNode
import QuotaStorage
import QuotaTransport
import QuotaWire
import Synchronization
import Testing

/// The binary protocol end to end: a real `WireServer` on loopback answering from a real engine.
@Suite(.timeLimit(.minutes(1))) struct WireAPITests {
    func withWireNode(_ body: (WireClient, QuotaEngine) async throws -> Void) async throws {
        let engine = try await makeEngine(
            store: try SQLiteQuotaStore(path: try temporaryDatabasePath()),
            clock: ManualClock()
        )
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = WireServer(
            group: MultiThreadedEventLoopGroup.singleton,
            handler: WireQuotaHandler(engine: engine),
            logger: logger
        )
        let port = try await server.start(host: "127.0.0.1", port: 0)
        let client = try await WireClient.connect(
            host: "127.0.0.1",
            port: port,
            group: MultiThreadedEventLoopGroup.singleton
        )
        do {
            try await body(client, engine)
        } catch {
            try? await client.close()
            try? await server.close()
            throw error
        }
        try await client.close()
        try await server.close()
    }

    func request(
        _ id: UInt64,
        _ operation: WireOperation,
        tenant: String = "acme",
        amount: Int64 = 1,
        key: String? = nil,
        metadata: String? = nil
    ) -> WireRequest {
        WireRequest(
            requestID: id,
            operation: operation,
            tenant: tenant,
            items: operation == .status ? [] : [WireItem(metric: "api_calls", amount: amount)],
            idempotencyKey: key,
            metadata: metadata.map { Array($0.utf8) }
        )
    }

    @Test func consumeCheckReleaseAndStatusGiveTheSameDecisionsAsTheEngine() async throws {
        try await withWireNode { client, engine in
            try await engine.setLimit(
                Limit(
                    tenant: TenantID("acme"),
                    metric: MetricCode("api_calls"),
                    value: 2,
                    period: PeriodSpec(unit: .minute),
                    enforcement: .hard
                )
            )
            var allowed: [Bool] = []
            for id in 1...3 {
                guard case .decision(let decision) = try await client.send(self.request(UInt64(id), .consume)).body
                else {
                    Issue.record("expected a decision")
                    return
                }
                allowed.append(decision.allowed)
                #expect(decision.servedBy == "t1")
            }
            #expect(allowed == [true, true, false])
            guard case .decision(let denied) = try await client.send(self.request(4, .check)).body else { return }
            #expect(denied.allowed == false)
            #expect(denied.retryAfterMs != nil)
            guard case .decision(let released) = try await client.send(self.request(5, .release)).body else { return }
            #expect(released.results.first?.usage == 1)
            guard case .status(let status) = try await client.send(self.request(6, .status)).body else { return }
            #expect(status.results.first?.usage == 1)
            #expect(status.results.first?.limit == 2)
        }
    }

    @Test func idempotencyKeysReplayOverTheBinaryProtocol() async throws {
        try await withWireNode { client, engine in
            let first = try await client.send(self.request(1, .consume, key: "k", metadata: #"{"a": 1}"#))
            let second = try await client.send(self.request(2, .consume, key: "k", metadata: #"{"a": 1}"#))
            guard case .decision(let a) = first.body, case .decision(let b) = second.body else {
                Issue.record("expected decisions")
                return
            }
            #expect(a.eventID == b.eventID)
            #expect(b.replayed)
            #expect(try await usage(engine, "acme", "api_calls") == 1)
        }
    }

    @Test(arguments: [
        ("", "invalid_argument"),
        (String(repeating: "x", count: 129), "invalid_argument"),
    ])
    func badTenantsGetTypedErrors(tenant: String, code: String) async throws {
        try await withWireNode { client, _ in
            let response = try await client.send(self.request(1, .consume, tenant: tenant))
            #expect(response.body == .error(code: code, message: response.errorMessage))
        }
    }

    @Test func badAmountsAndMetadataGetTypedErrorsAndChangeNothing() async throws {
        try await withWireNode { client, engine in
            let cases: [(WireRequest, String)] = [
                (self.request(1, .consume, amount: 0), "invalid_argument"),
                (self.request(2, .consume, amount: -5), "invalid_argument"),
                (self.request(3, .consume, metadata: "[1, 2]"), "invalid_argument"),
                (self.request(4, .consume, metadata: "{not json"), "invalid_argument"),
                (
                    self.request(5, .consume, metadata: #"{"k": "\#(String(repeating: "x", count: 5000))"}"#),
                    "payload_too_large"
                ),
            ]
            for (request, code) in cases {
                let response = try await client.send(request)
                #expect(response.errorCode == code, "request \(request.requestID)")
            }
            #expect(try await usage(engine, "acme", "api_calls") == nil)
        }
    }

    @Test func theRequestsOfOneReadAreAnsweredEachWithItsOwnIDAndOutcome() async throws {
        try await withWireNode { _, engine in
            let handler = WireQuotaHandler(engine: engine)
            let requests = [
                self.request(10, .consume, tenant: "a"),
                self.request(11, .consume, tenant: ""),
                self.request(12, .status, tenant: "b"),
                self.request(13, .consume, tenant: "c", amount: 0),
                self.request(14, .consume, tenant: "c", amount: 3),
                self.request(15, .check, tenant: "a", amount: 0),
            ]
            let answers = Mutex<[UInt64: WireResponse]>([:])
            handler.handle(requests) { response in
                answers.withLock { $0[response.requestID] = response }
            }
            let answered = answers.withLock { $0 }
            #expect(answered.count == requests.count)
            #expect(answered[11]?.errorCode == "invalid_argument")
            #expect(answered[13]?.errorCode == "invalid_argument")
            guard case .decision(let a) = answered[10]?.body, case .status(let b) = answered[12]?.body,
                case .decision(let c) = answered[14]?.body, case .decision(let check) = answered[15]?.body
            else {
                Issue.record("expected decisions and a status: \(answered)")
                return
            }
            #expect(a.tenant == "a" && a.allowed && a.results.first?.usage == 1)
            #expect(b.tenant == "b" && b.results.isEmpty)
            #expect(c.tenant == "c" && c.results.first?.usage == 3)
            #expect(check.tenant == "a" && check.results.first?.usage == 1)
            let stored = try await usage(engine, "c", "api_calls")
            #expect(stored == 3)
        }
    }
}

extension WireResponse {
    var errorCode: String? {
        if case .error(let code, _) = self.body { return code }
        return nil
    }

    var errorMessage: String {
        if case .error(_, let message) = self.body { return message }
        return ""
    }
}
