import Logging
import NIOCore
import NIOPosix
import QuotaTransport
import QuotaWire
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1))) struct WireServerTests {
    @Test func aRequestIsAnsweredByTheHandler() async throws {
        try await withServer { port in
            try await withClient(port: port) { client in
                let request = consume(1)
                let response = try await client.send(request)
                #expect(response == echo(request))
            }
        }
    }

    @Test func thousandPipelinedRequestsOnOneConnectionAreAllAnswered() async throws {
        try await withServer { port in
            try await withClient(port: port) { client in
                try await withThrowingTaskGroup(of: (WireRequest, WireResponse).self) { group in
                    for id in 1...1000 as ClosedRange<UInt64> {
                        group.addTask {
                            let request = consume(id, tenant: "tenant-\(id)")
                            return (request, try await client.send(request))
                        }
                    }
                    var answered = 0
                    for try await (request, response) in group {
                        #expect(response.requestID == request.requestID)
                        #expect(response == echo(request))
                        answered += 1
                    }
                    #expect(answered == 1000)
                }
            }
        }
    }

    /// Answers from a task, off the event loop, after a delay that makes later requests overtake earlier ones.
    struct LateHandler: WireRequestHandler {
        func handle(_ request: WireRequest, respond: @escaping @Sendable (WireResponse) -> Void) {
            Task.detached {
                try await Task.sleep(for: .milliseconds(5 * (10 - Int(request.requestID % 10))))
                respond(echo(request))
            }
        }
    }

    @Test func answersFromAnotherThreadArriveInAnyOrder() async throws {
        try await withServer(handler: LateHandler()) { port in
            try await withClient(port: port) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for id in 1...50 as ClosedRange<UInt64> {
                        group.addTask {
                            let request = consume(id, tenant: "t\(id)")
                            let response = try await client.send(request)
                            #expect(response == echo(request))
                        }
                    }
                    try await group.waitForAll()
                }
            }
        }
    }

    @Test func theServerAnswersWithTheRequestIDWhateverTheResponseCarries() async throws {
        struct WrongIDHandler: WireRequestHandler {
            func handle(_ request: WireRequest, respond: @escaping @Sendable (WireResponse) -> Void) {
                var response = echo(request)
                response.requestID = 999
                respond(response)
            }
        }
        try await withServer(handler: WrongIDHandler()) { port in
            try await withClient(port: port) { client in
                let response = try await client.send(consume(3))
                #expect(response.requestID == 3)
            }
        }
    }

    @Test func aResponseThatCannotBeEncodedBecomesAnInternalError() async throws {
        struct OversizedHandler: WireRequestHandler {
            func handle(_ request: WireRequest, respond: @escaping @Sendable (WireResponse) -> Void) {
                respond(
                    WireResponse(
                        requestID: request.requestID,
                        body: .error(code: "x", message: String(repeating: "m", count: 70_000))
                    )
                )
            }
        }
        try await withServer(handler: OversizedHandler()) { port in
            try await withClient(port: port) { client in
                let response = try await client.send(consume(4))
                #expect(response.body == .error(code: "internal", message: "the response could not be encoded"))
            }
        }
    }

    @Test func aMalformedBodyIsAnsweredAndTheConnectionGoesOn() async throws {
        try await withServer { port in
            try await RawConnection.with(port: port) { connection in
                // A consume frame whose tenant claims 200 bytes but the body has 2.
                let malformed: [UInt8] = [0x51, 0x54, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 2, 0x00, 0xC8]
                try await connection.send(malformed + bytes(of: consume(6)))
                let error = try #require(try await connection.nextResponse())
                #expect(error.requestID == 5)
                guard case .error(let code, _) = error.body else {
                    Issue.record("expected an error, got \(error)")
                    return
                }
                #expect(code == "bad_frame")
                #expect(try await connection.nextResponse() == echo(consume(6)))
                try await connection.send(bytes(of: consume(7)))
                #expect(try await connection.nextResponse() == echo(consume(7)))
            }
        }
    }

    @Test func anOversizedFrameIsAnsweredFromItsHeaderThenTheConnectionCloses() async throws {
        try await withServer(maximumBodyBytes: 64) { port in
            try await RawConnection.with(port: port) { connection in
                // Only a header announcing 65 bytes: the server must not wait for the body.
                try await connection.send([0x51, 0x54, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 65])
                let error = try #require(try await connection.nextResponse())
                #expect(error.requestID == 0)
                #expect(
                    error.body
                        == .error(
                            code: "payload_too_large",
                            message: "\(WireError.frameTooLarge(length: 65, maximum: 64))"
                        )
                )
                #expect(try await connection.nextResponse() == nil)
            }
        }
    }

    @Test func aClientSeesAnOversizedRequestRejected() async throws {
        try await withServer(maximumBodyBytes: 64) { port in
            try await withClient(port: port) { client in
                let response = try await client.send(consume(1))
                #expect(response == echo(consume(1)))
                let error = await #expect(throws: WireTransportError.self) {
                    try await client.send(consume(2, metadata: [UInt8](repeating: 0x20, count: 100)))
                }
                guard case .connectionRejected(let code, _) = error else {
                    Issue.record("expected connectionRejected, got \(String(describing: error))")
                    return
                }
                #expect(code == "payload_too_large")
                await #expect(throws: WireTransportError.self) { try await client.send(consume(3)) }
            }
        }
    }

    @Test func garbageIsAnsweredWithBadFrameThenTheConnectionCloses() async throws {
        try await withServer { port in
            try await RawConnection.with(port: port) { connection in
                try await connection.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
                let error = try #require(try await connection.nextResponse())
                #expect(error.requestID == 0)
                #expect(error.body == .error(code: "bad_frame", message: "\(WireError.badMagic)"))
                #expect(try await connection.nextResponse() == nil)
            }
        }
    }

    /// Holds every request until told to answer, and records how many it held at most.
    final class HoldingHandler: WireRequestHandler {
        private struct State {
            var held: [(WireRequest, @Sendable (WireResponse) -> Void)] = []
            var mostHeld = 0
        }
        private let state = Mutex(State())

        func handle(_ request: WireRequest, respond: @escaping @Sendable (WireResponse) -> Void) {
            self.state.withLock { state in
                state.held.append((request, respond))
                state.mostHeld = max(state.mostHeld, state.held.count)
            }
        }

        var mostHeld: Int { self.state.withLock { $0.mostHeld } }

        /// Returns once at least `count` requests are held.
        func waitUntilHolding(_ count: Int) async throws {
            while self.state.withLock({ $0.held.count }) < count { try await Task.sleep(for: .milliseconds(1)) }
        }

        /// Answers every request held, and returns how many that was.
        func answerAll() -> Int {
            let held = self.state.withLock { state in
                defer { state.held = [] }
                return state.held
            }
            for (request, respond) in held { respond(echo(request)) }
            return held.count
        }
    }

    @Test func atMostTheConfiguredNumberOfRequestsAreOutstandingPerConnection() async throws {
        let handler = HoldingHandler()
        try await withServer(handler: handler, maximumOutstandingRequests: 4) { port in
            try await withClient(port: port) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for id in 1...40 as ClosedRange<UInt64> {
                        group.addTask {
                            let request = consume(id)
                            let response = try await client.send(request)
                            #expect(response == echo(request))
                        }
                    }
                    group.addTask {
                        var answered = 0
                        while answered < 40 {
                            try await handler.waitUntilHolding(min(4, 40 - answered))
                            answered += handler.answerAll()
                        }
                    }
                    try await group.waitForAll()
                }
            }
        }
        #expect(handler.mostHeld == 4)
    }

    @Test func startTwiceAndStartAfterCloseAreRefused() async throws {
        let server = WireServer(
            group: MultiThreadedEventLoopGroup.singleton,
            handler: EchoHandler(),
            logger: Logger(label: "test")
        )
        _ = try await server.start(host: "127.0.0.1", port: 0)
        await #expect(throws: WireTransportError.serverAlreadyStarted) {
            try await server.start(host: "127.0.0.1", port: 0)
        }
        try await server.close()
        try await server.close()
        await #expect(throws: WireTransportError.serverClosed) { try await server.start(host: "127.0.0.1", port: 0) }
    }

    @Test func closingTheServerClosesItsConnections() async throws {
        let handler = HoldingHandler()
        let server = WireServer(
            group: MultiThreadedEventLoopGroup.singleton,
            handler: handler,
            logger: Logger(label: "test")
        )
        let port = try await server.start(host: "127.0.0.1", port: 0)
        try await withClient(port: port) { client in
            let pending = Task { try await client.send(consume(1)) }
            try await handler.waitUntilHolding(1)
            try await server.close()
            await #expect(throws: WireTransportError.connectionClosed) { try await pending.value }
        }
    }
}
