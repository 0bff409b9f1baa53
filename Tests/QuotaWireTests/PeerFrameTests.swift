import NIOCore
import QuotaWire
import Testing

/// The peer frame (kind `0x30`): members' messages, an opaque body with its own, larger body limit.
@Suite struct PeerFrameTests {
    /// A peer frame carrying the 7 bytes `{"m":1}`, also printed in docs/wire-protocol.md.
    static let peerHex = """
        5154 01 30 0000 0000000000000000 00000007
        7b226d223a317d
        """

    static func encodedPeer(_ body: [UInt8]) throws(WireError) -> [UInt8] {
        var buffer = ByteBuffer()
        try WireCodec.encodePeerFrame(body: ByteBuffer(bytes: body), into: &buffer)
        return Array(buffer.readableBytesView)
    }

    @Test func aPeerFrameEncodesToTheGoldenBytes() throws {
        #expect(try Self.encodedPeer(Array(#"{"m":1}"#.utf8)) == [UInt8](hex: Self.peerHex))
    }

    @Test func goldenPeerBytesDecodeToTheBody() throws {
        let outcome = decodeStream([UInt8](hex: Self.peerHex))
        #expect(outcome.error == nil)
        let frame = try #require(outcome.frames.first)
        #expect(outcome.frames.count == 1)
        #expect(frame.header == WireFrameHeader(kind: .peer, requestID: 0, bodyLength: 7))
        #expect(try WireCodec.decodePeerFrame(frame) == ByteBuffer(string: #"{"m":1}"#))
    }

    @Test func thePeerKindIsARequestKindButNotAnOperation() {
        #expect(WireFrameKind.peer.rawValue == 0x30)
        #expect(WireFrameKind.peer.operation == nil)
        #expect(WireOperation(rawValue: 0x30) == nil)
        #expect(!WireOperation.allCases.map(\.kind).contains(.peer))
    }

    @Test func encodingAppendsAndLeavesTheBodyAlone() throws {
        var buffer = ByteBuffer(bytes: [0xAA])
        let body = ByteBuffer(bytes: [1, 2, 3])
        try WireCodec.encodePeerFrame(body: body, into: &buffer)
        #expect(body.readableBytes == 3)
        #expect(buffer.readableBytes == 1 + WireFrameHeader.size + 3)
        #expect(Array(buffer.readableBytesView.suffix(3)) == [1, 2, 3])
    }

    @Test func aBodyWrittenInPlaceGivesTheGoldenBytes() throws {
        var buffer = ByteBuffer()
        try WireCodec.encodePeerFrame(into: &buffer) { (body: inout ByteBuffer) in body.writeString(#"{"m":1}"#) }
        #expect(Array(buffer.readableBytesView) == [UInt8](hex: Self.peerHex))
    }

    @Test func aBodyWriterThatThrowsLeavesTheBufferAsItWas() throws {
        var buffer = ByteBuffer(bytes: [0xAA])
        let error = #expect(throws: WireError.self) {
            try WireCodec.encodePeerFrame(into: &buffer) { (body: inout ByteBuffer) throws(WireError) in
                body.writeBytes([1, 2, 3])
                throw .malformedBody("no")
            }
        }
        #expect(error == .malformedBody("no"))
        #expect(Array(buffer.readableBytesView) == [0xAA])
    }

    @Test func anEmptyBodyIsAPeerFrame() throws {
        let outcome = decodeStream(try Self.encodedPeer([]))
        let frame = try #require(outcome.frames.first)
        #expect(try WireCodec.decodePeerFrame(frame) == ByteBuffer())
    }

    @Test func aMebibyteBodySurvivesAnyChunking() throws {
        var random = SplitMix64(seed: 30)
        let body = (0..<1_048_576).map { _ in UInt8.random(in: 0...255, using: &random) }
        let bytes = try Self.encodedPeer(body) + encoded(Fixtures.consume)
        let allAtOnce = decodeStream(bytes)
        #expect(allAtOnce.error == nil)
        #expect(allAtOnce.frames.count == 2)
        let frame = try #require(allAtOnce.frames.first)
        #expect(try WireCodec.decodePeerFrame(frame) == ByteBuffer(bytes: body))
        #expect(decodeStream(bytes, chunkSizes: [4096, 1, 17]) == allAtOnce)
    }

    @Test func theDefaultPeerLimitIsSixtyFourMebibytes() {
        #expect(WireFrameDecoder.defaultMaximumPeerBodyBytes == 64 * 1024 * 1024)
        let decoder = WireFrameDecoder()
        #expect(decoder.maximumPeerBodyBytes == WireFrameDecoder.defaultMaximumPeerBodyBytes)
        #expect(decoder.maximumBodyBytes == WireFrameDecoder.defaultMaximumBodyBytes)
    }

    @Test func theLargerLimitAppliesToPeerFramesOnly() throws {
        let overRequestLimit = WireFrameDecoder.defaultMaximumBodyBytes + 1
        // A peer header over the request limit is accepted: the decoder waits for the body.
        var decoder = WireFrameDecoder()
        var peer = ByteBuffer(bytes: headerBytes(kind: 0x30, requestID: 0, bodyLength: overRequestLimit))
        #expect(try decoder.decode(buffer: &peer) == nil)
        #expect(peer.readerIndex == 0)
        // The same length in a request or a response header is refused.
        for kind: UInt8 in [0x01, 0x04, 0x81, 0xEE] {
            #expect(
                decodeStream(headerBytes(kind: kind, bodyLength: overRequestLimit)).error
                    == .frameTooLarge(length: overRequestLimit, maximum: WireFrameDecoder.defaultMaximumBodyBytes)
            )
        }
        // Configured limits: each kind is held to its own.
        let peerFrame = try Self.encodedPeer([UInt8](repeating: 7, count: 100))
        #expect(decodeStream(peerFrame, maximumBodyBytes: 10, maximumPeerBodyBytes: 100).frames.count == 1)
        #expect(
            decodeStream(peerFrame, maximumBodyBytes: 1000, maximumPeerBodyBytes: 99).error
                == .frameTooLarge(length: 100, maximum: 99)
        )
        #expect(
            decodeStream(try encoded(Fixtures.consume), maximumBodyBytes: 41, maximumPeerBodyBytes: 1000).error
                == .frameTooLarge(length: 42, maximum: 41)
        )
    }

    @Test func aPeerFrameOverThePeerLimitIsRefusedFromItsHeaderAlone() throws {
        let maximum = WireFrameDecoder.defaultMaximumPeerBodyBytes
        var decoder = WireFrameDecoder()
        var atLimit = ByteBuffer(bytes: headerBytes(kind: 0x30, requestID: 0, bodyLength: maximum))
        #expect(try decoder.decode(buffer: &atLimit) == nil)
        var overLimit = ByteBuffer(bytes: headerBytes(kind: 0x30, requestID: 0, bodyLength: maximum + 1))
        let error = #expect(throws: WireError.self) { try decoder.decode(buffer: &overLimit) }
        #expect(error == .frameTooLarge(length: maximum + 1, maximum: maximum))
        #expect(error?.isFramingError == true)
        #expect(error?.code == WireErrorCode.payloadTooLarge)
    }

    @Test func peerFramesAreNeitherRequestsNorResponses() {
        let peer = frame(.peer, requestID: 0, body: [0x00, 0x00, 0x00, 0x00])
        #expect(throws: WireError.malformedBody("a peer frame is not a request")) {
            try WireCodec.decodeRequest(peer)
        }
        #expect(throws: WireError.malformedBody("a peer frame is a request, not a response")) {
            try WireCodec.decodeResponse(peer)
        }
    }

    @Test func onlyAPeerFrameWithRequestIDZeroHasAPeerBody() throws {
        #expect(throws: WireError.malformedBody("a consume frame is not a peer frame")) {
            try WireCodec.decodePeerFrame(frame(.consume, requestID: 0, body: []))
        }
        #expect(throws: WireError.malformedBody("a peer frame carries request id 0, got 5")) {
            try WireCodec.decodePeerFrame(frame(.peer, requestID: 5, body: [1]))
        }
    }
}
