import NIOCore
import NIOPosix
import QuotaTransport
import QuotaWire
import Testing

@Suite(.timeLimit(.minutes(1))) struct WireClientTests {
    @Test func requestIDZeroAndOutstandingIDsAreRefused() async throws {
        let handler = WireServerTests.HoldingHandler()
        try await withServer(handler: handler) { port in
            try await withClient(port: port) { client in
                await #expect(throws: WireTransportError.invalidRequestID(0)) { try await client.send(consume(0)) }
                let first = Task { try await client.send(consume(8)) }
                try await handler.waitUntilHolding(1)
                await #expect(throws: WireTransportError.invalidRequestID(8)) { try await client.send(consume(8)) }
                try await client.close()
                await #expect(throws: WireTransportError.connectionClosed) { try await first.value }
            }
        }
    }

    @Test func anUnencodableRequestFailsAloneAndTheConnectionGoesOn() async throws {
        try await withServer { port in
            try await withClient(port: port) { client in
                let error = await #expect(throws: WireTransportError.self) {
                    try await client.send(consume(1, tenant: String(repeating: "t", count: 70_000)))
                }
                guard case .unencodableRequest = error else {
                    Issue.record("expected unencodableRequest, got \(String(describing: error))")
                    return
                }
                let response = try await client.send(consume(2))
                #expect(response == echo(consume(2)))
            }
        }
    }

    @Test func sendingAfterCloseFails() async throws {
        try await withServer { port in
            let client = try await WireClient.connect(
                host: "127.0.0.1",
                port: port,
                group: MultiThreadedEventLoopGroup.singleton
            )
            try await client.close()
            await #expect(throws: WireTransportError.connectionClosed) { try await client.send(consume(1)) }
        }
    }
}
