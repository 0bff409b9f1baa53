import NIOCore
import QuotaTransport
import QuotaWire
import Testing

/// How a ``WireServer`` treats peer frames, seen from a raw connection.
@Suite(.timeLimit(.minutes(1))) struct PeerServerTests {
    @Test func peerFramesAreHandedOverInOrderAndNeverAnswered() async throws {
        let peers = RecordingPeerHandler()
        try await withPeerServer(peerHandler: peers) { port in
            try await RawConnection.with(port: port) { connection in
                try await connection.send(
                    bytes(ofPeerFrame: Array("a".utf8)) + bytes(of: consume(1)) + bytes(ofPeerFrame: Array("b".utf8))
                        + bytes(ofPeerFrame: []) + bytes(of: consume(2))
                )
                #expect(try await connection.nextResponse() == echo(consume(1)))
                #expect(try await connection.nextResponse() == echo(consume(2)))
                // Nothing answered the peer frames: the next response is the next request's.
                try await connection.send(bytes(of: consume(3)))
                #expect(try await connection.nextResponse() == echo(consume(3)))
            }
        }
        #expect(peers.strings == ["a", "b", ""])
    }

    @Test func aServerWithoutPeerHandlerRefusesAPeerFrameLikeAnUnknownKind() async throws {
        // An unknown kind, for comparison: one bad_frame with request id 0, then the connection closes.
        try await withServer { port in
            try await RawConnection.with(port: port) { connection in
                try await connection.send([0x51, 0x54, 0x01, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0])
                let error = try #require(try await connection.nextResponse())
                #expect(error.requestID == 0)
                #expect(error.body == .error(code: "bad_frame", message: "\(WireError.unknownKind(0x05))"))
                #expect(try await connection.nextResponse() == nil)
            }
        }
        try await withServer { port in
            try await RawConnection.with(port: port) { connection in
                try await connection.send(
                    bytes(of: consume(1)) + bytes(ofPeerFrame: Array("hello".utf8)) + bytes(of: consume(2))
                )
                #expect(try await connection.nextResponse() == echo(consume(1)))
                let error = try #require(try await connection.nextResponse())
                #expect(error.requestID == 0)
                #expect(
                    error.body == .error(code: "bad_frame", message: "this server takes no peer frames (kind 0x30)")
                )
                #expect(try await connection.nextResponse() == nil)
            }
        }
    }

    @Test func aServerWithoutPeerHandlerHoldsPeerFramesToTheRequestMaximum() async throws {
        try await withServer(maximumBodyBytes: 64) { port in
            try await RawConnection.with(port: port) { connection in
                // Only the header of a 65-byte peer frame.
                try await connection.send([0x51, 0x54, 0x01, 0x30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 65])
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

    @Test func aPeerFrameOverThePeerMaximumIsRefusedFromItsHeader() async throws {
        let peers = RecordingPeerHandler()
        try await withPeerServer(peerHandler: peers, maximumPeerBodyBytes: 100_000) { port in
            try await RawConnection.with(port: port) { connection in
                // Over the request maximum (65 536) but within the peer maximum: delivered.
                let long = [UInt8](repeating: 0x61, count: 100_000)
                try await connection.send(bytes(ofPeerFrame: long))
                try await waitUntil("the long peer frame arrives") { peers.count == 1 }
                #expect(peers.received == [ByteBuffer(bytes: long)])
                // Only the header of a 100 001-byte peer frame: refused before the body.
                try await connection.send([0x51, 0x54, 0x01, 0x30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x86, 0xA1])
                let error = try #require(try await connection.nextResponse())
                #expect(error.requestID == 0)
                #expect(
                    error.body
                        == .error(
                            code: "payload_too_large",
                            message: "\(WireError.frameTooLarge(length: 100_001, maximum: 100_000))"
                        )
                )
                #expect(try await connection.nextResponse() == nil)
            }
        }
        #expect(peers.count == 1)
    }

    @Test func aPeerFrameWithARequestIDIsRefusedAndTheConnectionGoesOn() async throws {
        let peers = RecordingPeerHandler()
        try await withPeerServer(peerHandler: peers) { port in
            try await RawConnection.with(port: port) { connection in
                try await connection.send(bytes(ofPeerFrame: [1, 2, 3], requestID: 9) + bytes(of: consume(10)))
                let error = try #require(try await connection.nextResponse())
                #expect(error.requestID == 9)
                guard case .error(let code, _) = error.body else {
                    Issue.record("expected an error, got \(error)")
                    return
                }
                #expect(code == "bad_frame")
                #expect(try await connection.nextResponse() == echo(consume(10)))
            }
        }
        #expect(peers.count == 0)
    }

    @Test func peerFramesDoNotCountAsOutstandingRequests() async throws {
        let requests = WireServerTests.HoldingHandler()
        let peers = RecordingPeerHandler()
        try await withPeerServer(peerHandler: peers, handler: requests, maximumOutstandingRequests: 1) { port in
            try await RawConnection.with(port: port) { connection in
                try await connection.send(bytes(of: consume(1)))
                try await requests.waitUntilHolding(1)
                // The one request allowed is outstanding; peer frames still go through.
                try await connection.send(bytes(ofPeerFrame: Array("p1".utf8)) + bytes(ofPeerFrame: Array("p2".utf8)))
                try await waitUntil("both peer frames arrive") { peers.count == 2 }
                #expect(peers.strings == ["p1", "p2"])
                #expect(requests.answerAll() == 1)
                #expect(try await connection.nextResponse() == echo(consume(1)))
            }
        }
    }
}
