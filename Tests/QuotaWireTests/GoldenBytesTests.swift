import NIOCore
import QuotaWire
import Testing

/// Fixed byte images of two frames, also printed in docs/wire-protocol.md, so that any other
/// implementation of the protocol can check itself against them.
@Suite struct GoldenBytesTests {
    static let consumeHex = """
        5154 01 01 0000 0000000000000007 0000002a
        0004 61636d65
        0001
        0009 6170695f63616c6c73 0000000000000003
        0002 6b31
        00000007 7b2261223a317d
        """

    static let decisionHex = """
        5154 01 81 0000 0000000000000007 00000058
        01 00
        0004 61636d65
        0002 6e31
        0002 6531
        ffffffffffffffff
        0001
        0009 6170695f63616c6c73 01 02
        0000000000000003 0000000000000064 0000000000000061
        00 0000000000000000
        000001941f297c00 00000194becea000
        """

    @Test func consumeRequestEncodesToTheGoldenBytes() throws {
        #expect(try encoded(Fixtures.consume) == [UInt8](hex: Self.consumeHex))
    }

    @Test func goldenConsumeBytesDecodeToTheRequest() throws {
        let outcome = decodeStream([UInt8](hex: Self.consumeHex))
        #expect(outcome.error == nil)
        let frame = try #require(outcome.frames.first)
        #expect(outcome.frames.count == 1)
        #expect(try WireCodec.decodeRequest(frame) == Fixtures.consume)
    }

    @Test func decisionResponseEncodesToTheGoldenBytes() throws {
        #expect(try encoded(Fixtures.decision) == [UInt8](hex: Self.decisionHex))
    }

    @Test func goldenDecisionBytesDecodeToTheResponse() throws {
        let outcome = decodeStream([UInt8](hex: Self.decisionHex))
        #expect(outcome.error == nil)
        let frame = try #require(outcome.frames.first)
        #expect(outcome.frames.count == 1)
        #expect(try WireCodec.decodeResponse(frame) == Fixtures.decision)
    }
}
