import NIOCore
import QuotaWire

/// QuotaWire for a ``LoadDriver``: pre-encoded request frames with the tag as request id; answers are cut by
/// ``WireFrameDecoder`` and read no further than needed for the outcome (a decision's `allowed` flag), except
/// error frames, which are decoded whole for their code and message.
struct BinaryDialect: LoadDialect, Sendable {
    static var answersInOrder: Bool { false }
    static var connectionClosedReason: String { "the connection closed before the answer" }

    let frames: BinaryRequestFrames

    /// Creates the dialect that sends `frames`.
    init(frames: BinaryRequestFrames) {
        self.frames = frames
    }

    func write(
        _ operation: BenchOperation,
        tenant: Int,
        tag: UInt64,
        now: ContinuousClock.Instant,
        into buffer: inout ByteBuffer
    ) {
        self.frames.write(operation, tenant: tenant, requestID: tag, into: &buffer)
    }

    func nextAnswer(from buffer: inout ByteBuffer) throws(LoadStreamError) -> LoadAnswer? {
        // Stateless apart from its bounds: a client takes no peer frames, so it holds them to the same maximum.
        var decoder = WireFrameDecoder(
            maximumBodyBytes: WireFrameDecoder.defaultMaximumBodyBytes,
            maximumPeerBodyBytes: WireFrameDecoder.defaultMaximumBodyBytes
        )
        let frame: WireFrame
        do {
            guard let decoded = try decoder.decode(buffer: &buffer) else { return nil }
            frame = decoded
        } catch {
            throw LoadStreamError(reason: "malformed answer stream: \(error)")
        }
        return Self.answer(to: frame)
    }

    /// The answer a frame carries: a decision allows or denies, a status allows, an error frame fails its request
    /// (or, with request id 0, rejects the connection); any other frame is an unreadable answer.
    static func answer(to frame: WireFrame) -> LoadAnswer {
        let id = frame.header.requestID
        switch frame.header.kind {
        case .decision:
            switch frame.body.getInteger(at: frame.body.readerIndex, as: UInt8.self) {
            case 1: return .answered(tag: id, .allowed)
            case 0: return .answered(tag: id, .denied)
            case let other:
                let found = other.map { "\($0)" } ?? "an empty body"
                return .answered(tag: id, .transportFailed("malformed answer: allowed must be 0 or 1, got \(found)"))
            }
        case .statusResponse:
            return .answered(tag: id, .allowed)
        default:
            do {
                let response = try WireCodec.decodeResponse(frame)
                guard case .error(let code, let message) = response.body else {
                    return .answered(tag: id, .transportFailed("malformed answer: unexpected \(frame.header.kind)"))
                }
                if id == 0 { return .rejected("the server rejected the connection: \(code): \(message)") }
                return .answered(tag: id, .failed("\(code): \(message)"))
            } catch {
                return .answered(tag: id, .transportFailed("malformed answer: \(error)"))
            }
        }
    }
}
