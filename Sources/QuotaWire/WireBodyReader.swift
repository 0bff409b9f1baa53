import NIOCore

/// Reads the fields of a frame body in order, turning every shortfall or out-of-range value into
/// ``WireError/malformedBody(_:)`` that names the field.
///
/// Also the reader of the cluster's binary peer messages, whose bodies use the same field encodings.
public struct WireBodyReader {
    @usableFromInline var buffer: ByteBuffer

    /// A reader of `body`'s readable bytes.
    @inlinable public init(_ body: ByteBuffer) {
        self.buffer = body
    }

    /// A big-endian integer.
    @inlinable public mutating func readInteger<Value: FixedWidthInteger>(
        _ field: String,
        as: Value.Type
    ) throws(WireError) -> Value {
        guard let value = self.buffer.readInteger(as: Value.self) else {
            throw .malformedBody("body ends before \(field)")
        }
        return value
    }

    /// A `u8` that must be 0 (false) or 1 (true).
    @inlinable public mutating func readFlag(_ field: String) throws(WireError) -> Bool {
        switch try self.readInteger(field, as: UInt8.self) {
        case 0: return false
        case 1: return true
        case let other: throw .malformedBody("\(field) must be 0 or 1, got \(other)")
        }
    }

    /// A `u16` length followed by that many bytes of valid UTF-8.
    @inlinable public mutating func readString(_ field: String) throws(WireError) -> String {
        guard let length = self.buffer.readInteger(as: UInt16.self) else {
            throw .malformedBody("body ends before the length of \(field)")
        }
        let count = Int(length)
        guard count <= self.buffer.readableBytes else {
            throw .malformedBody("\(field) is \(length) bytes but only \(self.buffer.readableBytes) remain")
        }
        let string = self.buffer.withUnsafeReadableBytes {
            Self.validatedUTF8(UnsafeRawBufferPointer(rebasing: $0[..<count]))
        }
        guard let string else { throw .malformedBody("\(field) is not valid UTF-8") }
        self.buffer.moveReaderIndex(forwardBy: count)
        return string
    }

    /// `bytes` as a `String` when they are valid UTF-8, without copying them into a slice first.
    ///
    /// Identifiers are ASCII: those take a byte scan and `String(decoding:as:)`, which cannot repair
    /// anything in ASCII. Anything else goes through the standard library's validation.
    @usableFromInline static func validatedUTF8(_ bytes: UnsafeRawBufferPointer) -> String? {
        let units = bytes.assumingMemoryBound(to: UInt8.self)
        var combined: UInt8 = 0
        for byte in units { combined |= byte }
        if combined < 0x80 { return String(decoding: units, as: UTF8.self) }
        return String(validating: units, as: UTF8.self)
    }

    /// A string where the empty string means none.
    public mutating func readOptionalString(_ field: String) throws(WireError) -> String? {
        let string = try self.readString(field)
        return string.isEmpty ? nil : string
    }

    /// An `Int64` where -1 means none; any other negative value is malformed.
    public mutating func readOptionalNonNegative(_ field: String) throws(WireError) -> Int64? {
        let value = try self.readInteger(field, as: Int64.self)
        guard value >= -1 else { throw .malformedBody("\(field) must be -1 (none) or at least 0, got \(value)") }
        return value == -1 ? nil : value
    }

    /// A `u16` element count, checked against the bytes left so that a hostile count cannot make
    /// the caller reserve room for elements that are not there.
    public mutating func readCount(_ field: String, minimumElementBytes: Int) throws(WireError) -> Int {
        let count = Int(try self.readInteger(field, as: UInt16.self))
        let needed = count * minimumElementBytes
        let remaining = self.buffer.readableBytes
        guard needed <= remaining else {
            throw .malformedBody("\(field) \(count) needs at least \(needed) bytes but only \(remaining) remain")
        }
        return count
    }

    /// A `u32` element count, checked against the bytes left like ``readCount(_:minimumElementBytes:)``.
    public mutating func readLargeCount(_ field: String, minimumElementBytes: Int) throws(WireError) -> Int {
        let count = Int(try self.readInteger(field, as: UInt32.self))
        let needed = count * minimumElementBytes
        let remaining = self.buffer.readableBytes
        guard needed <= remaining else {
            throw .malformedBody("\(field) \(count) needs at least \(needed) bytes but only \(remaining) remain")
        }
        return count
    }

    /// A `u32` length followed by that many bytes, uninterpreted; length 0 means none.
    public mutating func readOptionalBytes(_ field: String) throws(WireError) -> [UInt8]? {
        guard let length = self.buffer.readInteger(as: UInt32.self) else {
            throw .malformedBody("body ends before the length of \(field)")
        }
        guard let bytes = self.buffer.readBytes(length: Int(length)) else {
            throw .malformedBody("\(field) is \(length) bytes but only \(self.buffer.readableBytes) remain")
        }
        return bytes.isEmpty ? nil : bytes
    }

    /// Checks that every byte of the body was read.
    ///
    /// - Throws: ``WireError/trailingBytes(_:)`` when some are left.
    public func finish() throws(WireError) {
        guard self.buffer.readableBytes == 0 else { throw .trailingBytes(self.buffer.readableBytes) }
    }
}
