import NIOCore

/// Reads RESP2 values from the front of a `ByteBuffer`, one complete value at a time.
///
/// Input may arrive in pieces: ``decode(_:)`` consumes nothing and answers `nil` until a whole value is there.
/// Lengths, counts and nesting are bounded, so a hostile peer cannot make the decoder allocate without limit.
public struct RESPDecoder: Sendable {
    /// The longest line (simple string, error, integer, length) accepted, in bytes.
    public var maximumLineBytes: Int
    /// The longest bulk string accepted, in bytes.
    public var maximumBulkBytes: Int
    /// The most elements an array may have.
    public var maximumElements: Int
    /// The deepest nesting of arrays accepted.
    public var maximumDepth: Int

    /// Creates a decoder with the given bounds.
    public init(
        maximumLineBytes: Int = 64 * 1024,
        maximumBulkBytes: Int = 16 * 1024 * 1024,
        maximumElements: Int = 1_000_000,
        maximumDepth: Int = 32
    ) {
        self.maximumLineBytes = maximumLineBytes
        self.maximumBulkBytes = maximumBulkBytes
        self.maximumElements = maximumElements
        self.maximumDepth = maximumDepth
    }

    /// Decodes and consumes the value at the front of `buffer`.
    ///
    /// - Returns: The value, or `nil` (consuming nothing) when the buffer does not hold a whole value yet.
    /// - Throws: ``RESPDecodingError`` when the bytes are not RESP2 or exceed a bound.
    public func decode(_ buffer: inout ByteBuffer) throws(RESPDecodingError) -> RESPValue? {
        var cursor = buffer
        guard let value = try self.value(from: &cursor, depth: 0) else { return nil }
        buffer.moveReaderIndex(to: cursor.readerIndex)
        return value
    }

    private func value(from cursor: inout ByteBuffer, depth: Int) throws(RESPDecodingError) -> RESPValue? {
        guard let type = cursor.getInteger(at: cursor.readerIndex, as: UInt8.self) else { return nil }
        guard
            [UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "$"), UInt8(ascii: "*")]
                .contains(type)
        else { throw .unknownType(type) }
        cursor.moveReaderIndex(forwardBy: 1)
        guard let line = try self.line(from: &cursor) else { return nil }
        switch type {
        case UInt8(ascii: "+"): return .simpleString(String(decoding: line, as: UTF8.self))
        case UInt8(ascii: "-"): return .error(String(decoding: line, as: UTF8.self))
        case UInt8(ascii: ":"): return .integer(try Self.number(line))
        case UInt8(ascii: "$"): return try self.bulkString(length: try Self.number(line), from: &cursor)
        default: return try self.array(count: try Self.number(line), from: &cursor, depth: depth)
        }
    }

    private func bulkString(length: Int64, from cursor: inout ByteBuffer) throws(RESPDecodingError) -> RESPValue? {
        if length == -1 { return .bulkString(nil) }
        guard length >= 0 else { throw .invalidNumber(String(length)) }
        guard length <= self.maximumBulkBytes else { throw .tooLarge(length: length, maximum: self.maximumBulkBytes) }
        guard cursor.readableBytes >= Int(length) + 2, let bytes = cursor.readBytes(length: Int(length)) else {
            return nil
        }
        guard cursor.readInteger(as: UInt16.self) == 0x0D0A else { throw .missingBulkTerminator }
        return .bulkString(bytes)
    }

    private func array(
        count: Int64,
        from cursor: inout ByteBuffer,
        depth: Int
    ) throws(RESPDecodingError) -> RESPValue? {
        if count == -1 { return .array(nil) }
        guard count >= 0 else { throw .invalidNumber(String(count)) }
        guard count <= self.maximumElements else { throw .tooLarge(length: count, maximum: self.maximumElements) }
        guard depth < self.maximumDepth else { throw .nestedTooDeep(maximum: self.maximumDepth) }
        var elements: [RESPValue] = []
        elements.reserveCapacity(min(Int(count), 64))
        for _ in 0..<count {
            guard let element = try self.value(from: &cursor, depth: depth + 1) else { return nil }
            elements.append(element)
        }
        return .array(elements)
    }

    /// The bytes up to the next CR LF, consumed with it; `nil` (consuming nothing) when no CR LF is there yet.
    private func line(from cursor: inout ByteBuffer) throws(RESPDecodingError) -> [UInt8]? {
        let view = cursor.readableBytesView
        guard let carriageReturn = view.firstIndex(of: UInt8(ascii: "\r")) else {
            if view.count > self.maximumLineBytes { throw .lineTooLong(maximum: self.maximumLineBytes) }
            return nil
        }
        let length = carriageReturn - view.startIndex
        if length > self.maximumLineBytes { throw .lineTooLong(maximum: self.maximumLineBytes) }
        guard carriageReturn + 1 < view.endIndex else { return nil }
        guard view[carriageReturn + 1] == UInt8(ascii: "\n") else { throw .missingLineFeed }
        let bytes = Array(view[view.startIndex..<carriageReturn])
        cursor.moveReaderIndex(forwardBy: length + 2)
        return bytes
    }

    /// A decimal integer: an optional `-` and 1 to 19 digits, in `Int64`'s range.
    private static func number(_ bytes: [UInt8]) throws(RESPDecodingError) -> Int64 {
        let text = String(decoding: bytes, as: UTF8.self)
        let digits = bytes.first == UInt8(ascii: "-") ? bytes.dropFirst() : bytes[...]
        guard !digits.isEmpty, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let value = Int64(text)
        else { throw .invalidNumber(text) }
        return value
    }
}
