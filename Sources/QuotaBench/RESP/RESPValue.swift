/// A RESP2 value (the Redis serialization protocol, version 2).
public enum RESPValue: Hashable, Sendable {
    /// `+OK\r\n`: a line of text without CR or LF.
    case simpleString(String)
    /// `-ERR message\r\n`: an error reply.
    case error(String)
    /// `:42\r\n`: a signed 64-bit integer.
    case integer(Int64)
    /// `$3\r\nfoo\r\n`: binary-safe bytes; `nil` is the null bulk string `$-1\r\n`.
    case bulkString([UInt8]?)
    /// `*2\r\n…`: a sequence of values; `nil` is the null array `*-1\r\n`.
    case array([RESPValue]?)

    /// A bulk string holding `text` as UTF-8.
    public static func bulkString(_ text: String) -> RESPValue { .bulkString(Array(text.utf8)) }
}
