import NIOCore
import Testing

@testable import QuotaBench

/// RESP2: encoding, decoding whole and partial input, bounds and malformed bytes, and reading script replies.
struct RESPCodecTests {
    func encoded(_ value: RESPValue) -> ByteBuffer {
        var buffer = ByteBuffer()
        RESPEncoder.encode(value, into: &buffer)
        return buffer
    }

    func decodeAll(_ text: String, decoder: RESPDecoder = RESPDecoder()) throws -> [RESPValue] {
        var buffer = ByteBuffer(string: text)
        var values: [RESPValue] = []
        while let value = try decoder.decode(&buffer) { values.append(value) }
        #expect(buffer.readableBytes == 0)
        return values
    }

    @Test(arguments: [
        RESPValue.simpleString("OK"), .simpleString(""), .error("ERR unknown command"), .integer(0), .integer(-42),
        .integer(Int64.max), .integer(Int64.min), .bulkString("hello"), .bulkString(""), .bulkString(nil),
        .bulkString([0x00, 0x0D, 0x0A, 0xFF]), .array([]), .array(nil),
        .array([.integer(1), .integer(7)]),
        .array([.bulkString("a"), .array([.simpleString("nested"), .bulkString(nil), .array(nil)]), .error("E")]),
    ])
    func valuesRoundTrip(value: RESPValue) throws {
        var buffer = self.encoded(value)
        #expect(try RESPDecoder().decode(&buffer) == value)
        #expect(buffer.readableBytes == 0)
    }

    @Test func valuesAreEncodedAsRedisWritesThem() {
        #expect(String(buffer: self.encoded(.simpleString("OK"))) == "+OK\r\n")
        #expect(String(buffer: self.encoded(.error("ERR x"))) == "-ERR x\r\n")
        #expect(String(buffer: self.encoded(.integer(-3))) == ":-3\r\n")
        #expect(String(buffer: self.encoded(.bulkString("ab"))) == "$2\r\nab\r\n")
        #expect(String(buffer: self.encoded(.bulkString(nil))) == "$-1\r\n")
        #expect(String(buffer: self.encoded(.array(nil))) == "*-1\r\n")
        #expect(String(buffer: self.encoded(.array([.integer(1), .bulkString("é")]))) == "*2\r\n:1\r\n$2\r\né\r\n")
    }

    @Test func commandsAreArraysOfBulkStrings() {
        var buffer = ByteBuffer()
        RESPEncoder.encodeCommand(["EVALSHA", "abc", "1", "q:t:m:60"], into: &buffer)
        #expect(String(buffer: buffer) == "*4\r\n$7\r\nEVALSHA\r\n$3\r\nabc\r\n$1\r\n1\r\n$8\r\nq:t:m:60\r\n")
    }

    @Test func partialInputWaitsAndConsumesNothing() throws {
        let whole = "*3\r\n:1\r\n$5\r\nhello\r\n*2\r\n+a\r\n$-1\r\n"
        let bytes = Array(whole.utf8)
        var buffer = ByteBuffer()
        for (index, byte) in bytes.enumerated() {
            buffer.writeInteger(byte)
            let value = try RESPDecoder().decode(&buffer)
            if index < bytes.count - 1 {
                #expect(value == nil, "decoded after \(index + 1) of \(bytes.count) bytes")
                #expect(buffer.readableBytes == index + 1)
            } else {
                #expect(
                    value
                        == .array([.integer(1), .bulkString("hello"), .array([.simpleString("a"), .bulkString(nil)])])
                )
                #expect(buffer.readableBytes == 0)
            }
        }
    }

    @Test func severalValuesInOneBufferAreDecodedInOrder() throws {
        let values = try self.decodeAll("+OK\r\n:5\r\n$-1\r\n*2\r\n:1\r\n:10\r\n")
        #expect(values == [.simpleString("OK"), .integer(5), .bulkString(nil), .array([.integer(1), .integer(10)])])
    }

    @Test(arguments: [
        ("!oops\r\n", RESPDecodingError.unknownType(UInt8(ascii: "!"))),
        ("+OK\rX", .missingLineFeed),
        (":12a\r\n", .invalidNumber("12a")),
        (":\r\n", .invalidNumber("")),
        (":99999999999999999999\r\n", .invalidNumber("99999999999999999999")),
        ("$-2\r\n", .invalidNumber("-2")),
        ("*-5\r\n", .invalidNumber("-5")),
        ("$3\r\nabcde", .missingBulkTerminator),
    ])
    func malformedInputIsRefused(input: String, expected: RESPDecodingError) {
        var buffer = ByteBuffer(string: input)
        #expect(throws: expected) { try RESPDecoder().decode(&buffer) }
    }

    @Test func boundsAreEnforcedBeforeAllocating() {
        let decoder = RESPDecoder(maximumLineBytes: 8, maximumBulkBytes: 4, maximumElements: 2, maximumDepth: 2)
        var long = ByteBuffer(string: "+0123456789")
        #expect(throws: RESPDecodingError.lineTooLong(maximum: 8)) { try decoder.decode(&long) }
        var bulk = ByteBuffer(string: "$5\r\n")
        #expect(throws: RESPDecodingError.tooLarge(length: 5, maximum: 4)) { try decoder.decode(&bulk) }
        var array = ByteBuffer(string: "*3\r\n")
        #expect(throws: RESPDecodingError.tooLarge(length: 3, maximum: 2)) { try decoder.decode(&array) }
        var deep = ByteBuffer(string: "*1\r\n*1\r\n*1\r\n:1\r\n")
        #expect(throws: RESPDecodingError.nestedTooDeep(maximum: 2)) { try decoder.decode(&deep) }
    }

    @Test func scriptRepliesBecomeOutcomes() {
        #expect(RESPDialect.outcome(of: .array([.integer(1), .integer(7)])) == .allowed)
        #expect(RESPDialect.outcome(of: .array([.integer(0), .integer(10)])) == .denied)
        #expect(
            RESPDialect.outcome(of: .error("NOSCRIPT No matching script"))
                == .failed("NOSCRIPT No matching script")
        )
        #expect(RESPDialect.outcome(of: .bulkString(nil)) == .failed("unexpected reply bulkString(nil)"))
    }
}
