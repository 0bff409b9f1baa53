import NIOCore
import QuotaCore
import QuotaWire
import Testing

/// A test argument shown by its name rather than its value, which may be 65 535 characters long.
struct Named<Value: Sendable>: Sendable, CustomTestStringConvertible {
    var name: String
    var value: Value

    init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }

    var testDescription: String { self.name }
}

extension Array where Element == UInt8 {
    /// Bytes from hex digits; spaces and newlines are ignored.
    init(hex: String) {
        let digits = hex.filter { !$0.isWhitespace }.map { UInt8(String($0), radix: 16)! }
        self = stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }
}

/// What a decoder made of a byte stream: the frames it yielded, then the error that stopped it, if any.
struct DecodeOutcome: Equatable {
    var frames: [WireFrame] = []
    var error: WireError?
}

/// Feeds `bytes` to a fresh decoder in pieces of `chunkSizes` (cycled), collecting frames until the first error.
func decodeStream(
    _ bytes: [UInt8],
    chunkSizes: [Int] = [Int.max],
    maximumBodyBytes: UInt32 = WireFrameDecoder.defaultMaximumBodyBytes,
    maximumPeerBodyBytes: UInt32 = WireFrameDecoder.defaultMaximumPeerBodyBytes
) -> DecodeOutcome {
    var decoder = WireFrameDecoder(maximumBodyBytes: maximumBodyBytes, maximumPeerBodyBytes: maximumPeerBodyBytes)
    var buffer = ByteBuffer()
    var outcome = DecodeOutcome()
    var offset = 0
    var chunk = 0
    while offset < bytes.count {
        let end = offset + Swift.min(chunkSizes[chunk % chunkSizes.count], bytes.count - offset)
        buffer.writeBytes(bytes[offset..<end])
        offset = end
        chunk += 1
        do {
            while let frame = try decoder.decode(buffer: &buffer) { outcome.frames.append(frame) }
        } catch {
            outcome.error = error
            return outcome
        }
    }
    return outcome
}

/// The bytes of one encoded request frame.
func encoded(_ request: WireRequest) throws(WireError) -> [UInt8] {
    var buffer = ByteBuffer()
    try WireCodec.encode(request, into: &buffer)
    return Array(buffer.readableBytesView)
}

/// The bytes of one encoded response frame.
func encoded(_ response: WireResponse) throws(WireError) -> [UInt8] {
    var buffer = ByteBuffer()
    try WireCodec.encode(response, into: &buffer)
    return Array(buffer.readableBytesView)
}

/// A frame of `kind` with a hand-made body, for feeding the body decoders bytes no encoder would write.
func frame(_ kind: WireFrameKind, requestID: UInt64 = 1, body: [UInt8]) -> WireFrame {
    WireFrame(
        header: WireFrameHeader(kind: kind, requestID: requestID, bodyLength: UInt32(body.count)),
        body: ByteBuffer(bytes: body)
    )
}

/// A header's 18 bytes with every field given, so tests can write wrong values.
func headerBytes(
    magic: [UInt8] = [0x51, 0x54],
    version: UInt8 = 1,
    kind: UInt8 = 0x01,
    flags: UInt16 = 0,
    requestID: UInt64 = 1,
    bodyLength: UInt32
) -> [UInt8] {
    var buffer = ByteBuffer()
    buffer.writeBytes(magic)
    buffer.writeInteger(version)
    buffer.writeInteger(kind)
    buffer.writeInteger(flags)
    buffer.writeInteger(requestID)
    buffer.writeInteger(bodyLength)
    return Array(buffer.readableBytesView)
}

enum Fixtures {
    static let result = WireItemResult(
        metric: "api_calls",
        allowed: true,
        enforcement: .hard,
        usage: 3,
        limit: 100,
        remaining: 97,
        exceeded: false,
        overage: 0,
        periodStartMs: 1_735_689_600_000,
        periodEndMs: 1_738_368_000_000
    )

    static let consume = WireRequest(
        requestID: 7,
        operation: .consume,
        tenant: "acme",
        items: [WireItem(metric: "api_calls", amount: 3)],
        idempotencyKey: "k1",
        metadata: Array(#"{"a":1}"#.utf8)
    )

    static let decision = WireResponse(
        requestID: 7,
        body: .decision(
            WireDecision(
                allowed: true,
                replayed: false,
                tenant: "acme",
                servedBy: "n1",
                eventID: "e1",
                retryAfterMs: nil,
                results: [Fixtures.result]
            )
        )
    )
}
