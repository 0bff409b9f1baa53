import NIOCore
import QuotaCore
import QuotaWire
import Testing

@testable import QuotaBench

/// The requests the drivers send from pre-encoded bytes are those the codecs would encode, and script replies are
/// read in place as ``RESPDecoder`` would read them.
struct RequestEncodingTests {
    let tenants = TenantTable(
        count: 12,
        limits: LimitSettings(limit: 1_000_000_000, exhaustFraction: 0.25, period: .minute),
        seed: 7
    )

    @Test(arguments: [BenchOperation.consume, .check, .status])
    func binaryFramesAreWireRequestsWithThePatchedID(operation: BenchOperation) throws {
        let frames = BinaryRequestFrames(tenants: self.tenants, operations: [.consume, .check, .status])
        for tenant in [0, 5, 11] {
            var buffer = ByteBuffer()
            frames.write(operation, tenant: tenant, requestID: 0x0123_4567_89AB_CDEF, into: &buffer)
            var decoder = WireFrameDecoder()
            let frame = try #require(try decoder.decode(buffer: &buffer))
            #expect(buffer.readableBytes == 0)
            let request = try WireCodec.decodeRequest(frame)
            let wireOperation: WireOperation =
                switch operation {
                case .consume: .consume
                case .check: .check
                case .status: .status
                }
            let items = operation == .status ? [] : [WireItem(metric: BenchConfiguration.metric, amount: 1)]
            #expect(
                request
                    == WireRequest(
                        requestID: 0x0123_4567_89AB_CDEF,
                        operation: wireOperation,
                        tenant: self.tenants.names[tenant],
                        items: SmallArray(items)
                    )
            )
        }
    }

    @Test func evalshaCommandsAreWhatTheGenericEncoderWrites() {
        let consumeSHA = String(repeating: "a", count: 40)
        let checkSHA = String(repeating: "b", count: 40)
        let commands = EvalshaCommands(consumeSHA: consumeSHA, checkSHA: checkSHA, tenants: self.tenants, period: .hour)
        for tenant in 0..<self.tenants.count {
            for (operation, sha) in [(BenchOperation.consume, consumeSHA), (.check, checkSHA)] {
                var written = ByteBuffer()
                commands.write(operation, tenant: tenant, periodStart: Array("1795000000".utf8), into: &written)
                var expected = ByteBuffer()
                RESPEncoder.encodeCommand(
                    [
                        "EVALSHA", sha, "1", "q:\(self.tenants.names[tenant]):api_calls:1795000000", "1",
                        String(self.tenants.limits[tenant]), "3600",
                    ],
                    into: &expected
                )
                #expect(String(buffer: written) == String(buffer: expected))
            }
        }
        #expect(self.tenants.limits.contains(LimitSettings.exhaustedLimit))
    }

    @Test(arguments: [
        "*2\r\n:1\r\n:7\r\n", "*2\r\n:0\r\n:10\r\n", "*2\r\n:1\r\n:-3\r\n", "*2\r\n:1\r\n:9223372036854775807\r\n",
    ])
    func scriptRepliesAreReadInPlace(reply: String) throws {
        let admitted = reply.hasPrefix("*2\r\n:1")
        #expect(ScriptReplyScan(ByteBuffer(string: reply)) == .reply(admitted: admitted, length: reply.utf8.count))
        #expect(
            ScriptReplyScan(ByteBuffer(string: reply + "*2\r\n"))
                == .reply(admitted: admitted, length: reply.utf8.count)
        )
        for cut in 0..<reply.utf8.count {
            let prefix = String(decoding: Array(reply.utf8.prefix(cut)), as: UTF8.self)
            #expect(ScriptReplyScan(ByteBuffer(string: prefix)) == .incomplete, "\(cut) bytes")
        }
        var buffer = ByteBuffer(string: reply)
        var dialect = RESPDialect(commands: self.emptyCommands, period: .minute)
        #expect(try dialect.nextAnswer(from: &buffer) == .answered(tag: 0, admitted ? .allowed : .denied))
        #expect(buffer.readableBytes == 0)
    }

    @Test(arguments: [
        "-NOSCRIPT No matching script\r\n", "*2\r\n:2\r\n:7\r\n", "*3\r\n:1\r\n:7\r\n:0\r\n", "$-1\r\n",
        "*2\r\n:1\r\n:12345678901234567890\r\n", "*2\r\n:1\r\n:\r\n", "*2\r\n:1\r\n:7\rx",
    ])
    func otherRepliesGoToTheGenericDecoder(reply: String) throws {
        #expect(ScriptReplyScan(ByteBuffer(string: reply)) == .other)
    }

    @Test func otherRepliesBecomeOutcomesOrStreamErrors() throws {
        var dialect = RESPDialect(commands: self.emptyCommands, period: .minute)
        var error = ByteBuffer(string: "-NOSCRIPT No matching script\r\n$-1\r\n")
        #expect(try dialect.nextAnswer(from: &error) == .answered(tag: 0, .failed("NOSCRIPT No matching script")))
        #expect(try dialect.nextAnswer(from: &error) == .answered(tag: 0, .failed("unexpected reply bulkString(nil)")))
        var partial = ByteBuffer(string: "-NOSCR")
        #expect(try dialect.nextAnswer(from: &partial) == nil)
        #expect(partial.readableBytes == 6)
        var garbage = ByteBuffer(string: "?what\r\n")
        #expect(throws: LoadStreamError.self) { try dialect.nextAnswer(from: &garbage) }
    }

    @Test func binaryAnswersNeedOnlyTheirFlag() throws {
        var buffer = ByteBuffer()
        let error = WireResponse(requestID: 9, body: .error(code: "unavailable", message: "later"))
        try WireCodec.encode(error, into: &buffer)
        let rejection = WireResponse(requestID: 0, body: .error(code: "other_member_list", message: "no"))
        try WireCodec.encode(rejection, into: &buffer)
        let dialect = BinaryDialect(frames: BinaryRequestFrames(tenants: self.tenants, operations: [.consume]))
        #expect(try dialect.nextAnswer(from: &buffer) == .answered(tag: 9, .failed("unavailable: later")))
        #expect(
            try dialect.nextAnswer(from: &buffer)
                == .rejected("the server rejected the connection: other_member_list: no")
        )
        #expect(try dialect.nextAnswer(from: &buffer) == nil)
        var garbage = ByteBuffer(string: "GET / HTTP/1.1\r\n")
        #expect(throws: LoadStreamError.self) { try dialect.nextAnswer(from: &garbage) }
    }

    var emptyCommands: EvalshaCommands {
        EvalshaCommands(consumeSHA: "", checkSHA: "", tenants: self.tenants, period: .minute)
    }
}
