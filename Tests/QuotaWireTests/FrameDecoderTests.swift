import NIOCore
import QuotaWire
import Testing

@Suite struct FrameDecoderTests {
    static func stream() throws -> [UInt8] {
        try encoded(Fixtures.consume) + encoded(RoundTripTests.requests[1].value) + encoded(Fixtures.decision)
            + encoded(RoundTripTests.responses[3].value) + encoded(RoundTripTests.responses[5].value)
    }

    @Test func byteByByteGivesTheSameFramesAsAllAtOnce() throws {
        let bytes = try Self.stream()
        let allAtOnce = decodeStream(bytes)
        #expect(allAtOnce.error == nil)
        #expect(allAtOnce.frames.count == 5)
        #expect(decodeStream(bytes, chunkSizes: [1]) == allAtOnce)
        #expect(decodeStream(bytes, chunkSizes: [3, 19, 1, 64, 7]) == allAtOnce)
    }

    @Test func everyTruncationNeedsMoreDataAndLeavesTheReaderIndex() throws {
        let bytes = try encoded(Fixtures.consume)
        for length in 0..<bytes.count {
            var decoder = WireFrameDecoder()
            var buffer = ByteBuffer(bytes: bytes[0..<length])
            #expect(try decoder.decode(buffer: &buffer) == nil)
            #expect(buffer.readerIndex == 0)
            #expect(buffer.readableBytes == length)
            #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == nil)
        }
    }

    @Test func aBodyLargerThanTheMaximumIsRefusedFromTheHeaderAlone() {
        let maximum = WireFrameDecoder.defaultMaximumBodyBytes
        var decoder = WireFrameDecoder()
        var buffer = ByteBuffer(bytes: headerBytes(bodyLength: maximum + 1))
        #expect(throws: WireError.frameTooLarge(length: maximum + 1, maximum: maximum)) {
            try decoder.decode(buffer: &buffer)
        }
    }

    @Test func aConfiguredMaximumIsHonoured() {
        #expect(
            decodeStream(headerBytes(bodyLength: 100), maximumBodyBytes: 99).error
                == .frameTooLarge(length: 100, maximum: 99)
        )
        #expect(
            decodeStream(headerBytes(bodyLength: 99) + [UInt8](repeating: 0, count: 99), maximumBodyBytes: 99).frames
                .count == 1
        )
    }

    @Test func anEmptyBodyIsAFrame() {
        let outcome = decodeStream(headerBytes(kind: 0xEE, requestID: 5, bodyLength: 0))
        #expect(
            outcome.frames == [
                WireFrame(header: WireFrameHeader(kind: .error, requestID: 5, bodyLength: 0), body: ByteBuffer())
            ]
        )
    }

    @Test(arguments: [
        (headerBytes(magic: [0x51, 0x55], bodyLength: 0), WireError.badMagic),
        (headerBytes(magic: [0x00, 0x54], bodyLength: 0), WireError.badMagic),
        (headerBytes(version: 2, bodyLength: 0), WireError.unsupportedVersion(2)),
        (headerBytes(version: 0, bodyLength: 0), WireError.unsupportedVersion(0)),
        (headerBytes(kind: 0x05, bodyLength: 0), WireError.unknownKind(0x05)),
        (headerBytes(kind: 0x83, bodyLength: 0), WireError.unknownKind(0x83)),
        (headerBytes(flags: 1, bodyLength: 0), WireError.nonZeroFlags),
        (headerBytes(flags: 0x8000, bodyLength: 0), WireError.nonZeroFlags),
    ])
    func badHeadersAreRefused(bytes: [UInt8], expected: WireError) {
        #expect(expected.isFramingError)
        #expect(decodeStream(bytes).error == expected)
        #expect(decodeStream(bytes, chunkSizes: [1]).error == expected)
    }

    @Test func garbageIsRefusedAtItsFirstByte() {
        var decoder = WireFrameDecoder()
        var buffer = ByteBuffer(string: "G")
        #expect(throws: WireError.badMagic) { try decoder.decode(buffer: &buffer) }
    }

    @Test func aBadFrameAfterGoodOnesStopsTheStreamAfterThem() throws {
        let good = try encoded(Fixtures.consume)
        let outcome = decodeStream(good + good + headerBytes(version: 9, bodyLength: 0) + good, chunkSizes: [5])
        #expect(outcome.frames.count == 2)
        #expect(outcome.error == .unsupportedVersion(9))
    }
}
