import NIOCore
import QuotaWire
import Testing

/// Seeded random input, replayable from the seed: the decoders never crash, stop only with a
/// ``WireError``, and give the same result whatever the chunking.
@Suite struct RandomInputTests {
    static let seeds: [UInt64] = Array(0..<200)

    static func validStream() throws -> [UInt8] {
        var bytes: [UInt8] = []
        for request in RoundTripTests.requests.prefix(5) { bytes += try encoded(request.value) }
        for response in RoundTripTests.responses.prefix(6) { bytes += try encoded(response.value) }
        return bytes
    }

    /// Either pure noise, noise behind a valid header prefix, or a valid stream with bytes flipped, cut or inserted.
    static func input(_ random: inout SplitMix64, valid: [UInt8]) -> [UInt8] {
        switch random.next() % 3 {
        case 0:
            return (0..<Int.random(in: 0...512, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 1:
            let noise = (0..<Int.random(in: 0...256, using: &random)).map { _ in
                UInt8.random(in: 0...255, using: &random)
            }
            return [0x51, 0x54, 0x01] + noise
        default:
            var bytes = valid
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch random.next() % 3 {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.remove(at: index)
                default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
                }
            }
            return bytes
        }
    }

    @Test(arguments: RandomInputTests.seeds)
    func randomInputNeverCrashesAndDoesNotDependOnChunking(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let bytes = Self.input(&random, valid: try Self.validStream())
        let chunks = (0..<4).map { _ in Int.random(in: 1...40, using: &random) }
        let allAtOnce = decodeStream(bytes, maximumBodyBytes: 4096)
        #expect(decodeStream(bytes, chunkSizes: chunks, maximumBodyBytes: 4096) == allAtOnce)
        for frame in allAtOnce.frames {
            #expect(frame.body.readableBytes == Int(frame.header.bodyLength))
            do {
                if frame.header.kind.operation != nil {
                    _ = try WireCodec.decodeRequest(frame)
                } else {
                    _ = try WireCodec.decodeResponse(frame)
                }
            } catch {
                #expect(!error.isFramingError)
            }
        }
    }
}
