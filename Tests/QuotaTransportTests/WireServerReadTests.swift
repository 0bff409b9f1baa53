import QuotaTransport
import QuotaWire
import Synchronization
import Testing

/// How the server cuts the byte stream into frames and hands the requests of one read to the handler.
@Suite(.timeLimit(.minutes(1))) struct WireServerReadTests {
    /// Records the requests of every call, in order, and echoes them.
    final class BatchRecorder: WireRequestHandler {
        let batches = Mutex<[[UInt64]]>([])

        func handle(_ request: WireRequest, respond: @escaping @Sendable (WireResponse) -> Void) {
            self.handle([request], respond: respond)
        }

        func handle(_ requests: [WireRequest], respond: @escaping @Sendable (WireResponse) -> Void) {
            self.batches.withLock { $0.append(requests.map(\.requestID)) }
            for request in requests { respond(echo(request)) }
        }
    }

    @Test func pipelinedRequestsReachTheHandlerInArrivalOrderAndAreAllAnswered() async throws {
        let recorder = BatchRecorder()
        try await withServer(handler: recorder) { port in
            try await RawConnection.with(port: port) { connection in
                let requests = (1...16 as ClosedRange<UInt64>).map { consume($0, tenant: "t\($0)") }
                try await connection.send(try requests.flatMap(bytes(of:)))
                var answered: [UInt64: WireResponse] = [:]
                for _ in requests {
                    let response = try #require(try await connection.nextResponse())
                    answered[response.requestID] = response
                }
                for request in requests { #expect(answered[request.requestID] == echo(request)) }
            }
        }
        let batches = recorder.batches.withLock { $0 }
        #expect(batches.flatMap { $0 } == Array(1...16))
        #expect(batches.allSatisfy { !$0.isEmpty })
    }

    @Test func framesSplitAcrossManyReadsArriveWhole() async throws {
        try await withServer { port in
            try await RawConnection.with(port: port) { connection in
                let requests = [consume(1, tenant: "first"), consume(2, metadata: Array("{}".utf8)), consume(3)]
                let stream = try requests.flatMap(bytes(of:))
                // Pieces of 5 bytes, each its own write, a pause between them: headers and bodies are cut
                // everywhere, and most reads end inside a frame.
                for start in stride(from: 0, to: stream.count, by: 5) {
                    try await connection.send(Array(stream[start..<min(start + 5, stream.count)]))
                    try await Task.sleep(for: .milliseconds(1))
                }
                for request in requests {
                    #expect(try await connection.nextResponse() == echo(request))
                }
            }
        }
    }

    @Test func aFramingErrorAfterGoodFramesInOneReadAnswersThemFirst() async throws {
        try await withServer { port in
            try await RawConnection.with(port: port) { connection in
                let garbage: [UInt8] = Array(repeating: 0xEE, count: 18)
                try await connection.send(try bytes(of: consume(1)) + bytes(of: consume(2)) + garbage)
                #expect(try await connection.nextResponse() == echo(consume(1)))
                #expect(try await connection.nextResponse() == echo(consume(2)))
                let error = try #require(try await connection.nextResponse())
                #expect(error.requestID == 0)
                #expect(error.body == .error(code: "bad_frame", message: "\(WireError.badMagic)"))
                #expect(try await connection.nextResponse() == nil)
            }
        }
    }
}
