/// Why bytes are not RESP2; after one, the stream cannot be trusted to be in step and the connection must close.
public enum RESPDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The first byte of a value is not one of `+ - : $ *`; carries it.
    case unknownType(UInt8)
    /// A line is not terminated by CR LF (a CR followed by something else).
    case missingLineFeed
    /// No CR LF within the longest line accepted; carries that length in bytes.
    case lineTooLong(maximum: Int)
    /// An integer, a length or a count is not a decimal number in range; carries the text.
    case invalidNumber(String)
    /// A bulk string's length or an array's count is above what the decoder accepts; carries both.
    case tooLarge(length: Int64, maximum: Int)
    /// A bulk string's bytes are not followed by CR LF.
    case missingBulkTerminator
    /// Arrays are nested deeper than the decoder accepts; carries the maximum depth.
    case nestedTooDeep(maximum: Int)

    /// A sentence that says what was wrong.
    public var description: String {
        switch self {
        case .unknownType(let byte): "unknown RESP type byte 0x\(String(byte, radix: 16))"
        case .missingLineFeed: "a RESP line ends with CR not followed by LF"
        case .lineTooLong(let maximum): "no CR LF within \(maximum) bytes"
        case .invalidNumber(let text): "'\(text)' is not a valid RESP number"
        case .tooLarge(let length, let maximum): "a RESP length of \(length) is above the maximum of \(maximum)"
        case .missingBulkTerminator: "a RESP bulk string is not followed by CR LF"
        case .nestedTooDeep(let maximum): "RESP arrays nested deeper than \(maximum)"
        }
    }
}
