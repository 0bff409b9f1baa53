import NIOCore

/// A look at the front of received RESP bytes for the reply the rate-limit scripts give, `*2\r\n:0|1\r\n:<usage>\r\n`,
/// without decoding it into a ``RESPValue``.
enum ScriptReplyScan: Hashable {
    /// A whole script reply of `length` bytes: admitted (`1`) or not (`0`).
    case reply(admitted: Bool, length: Int)
    /// The bytes so far fit a script reply that has not all arrived.
    case incomplete
    /// Something else (an error reply, another shape): for ``RESPDecoder``.
    case other

    /// The longest usage accepted in place, in digits (Int64's).
    static let maximumUsageDigits = 19

    /// Scans the readable bytes of `buffer`, moving nothing.
    init(_ buffer: ByteBuffer) {
        self = buffer.withUnsafeReadableBytes { bytes in
            /// `nil` when byte `offset` is `expected`; otherwise what that makes of the bytes.
            func differs(at offset: Int, from expected: UInt8) -> ScriptReplyScan? {
                guard offset < bytes.count else { return .incomplete }
                return bytes[offset] == expected ? nil : .other
            }
            // "*2\r\n:" then the flag (0 or 1) then "\r\n:".
            for (offset, expected) in zip(0..<5, "*2\r\n:".utf8) {
                if let scan = differs(at: offset, from: expected) { return scan }
            }
            guard bytes.count > 5 else { return .incomplete }
            guard bytes[5] == UInt8(ascii: "0") || bytes[5] == UInt8(ascii: "1") else { return .other }
            for (offset, expected) in zip(6..<9, "\r\n:".utf8) {
                if let scan = differs(at: offset, from: expected) { return scan }
            }
            var index = 9
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digitsStart = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                index += 1
                guard index - digitsStart <= Self.maximumUsageDigits else { return .other }
            }
            guard index < bytes.count else { return .incomplete }
            guard index > digitsStart, bytes[index] == 13 else { return .other }
            guard index + 1 < bytes.count else { return .incomplete }
            guard bytes[index + 1] == 10 else { return .other }
            return .reply(admitted: bytes[5] == UInt8(ascii: "1"), length: index + 2)
        }
    }
}
