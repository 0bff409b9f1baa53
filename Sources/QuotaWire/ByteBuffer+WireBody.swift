import NIOCore

extension ByteBuffer {
    /// Writes a `u16` length and the UTF-8 bytes of `value`.
    ///
    /// - Throws: ``WireError/malformedBody(_:)`` when `value` is longer than 65 535 bytes of UTF-8.
    public mutating func writeWireString(_ value: String, field: String) throws(WireError) {
        let length = try WireFieldCheck.stringLength(value, field: field)
        // Length and bytes in one reservation: ByteBuffer's writeInteger and writeString would each check the
        // capacity and the storage's uniqueness again.
        var value = value
        value.withUTF8 { utf8 in
            _ = self.writeWithUnsafeMutableBytes(minimumWritableBytes: 2 + length) { target in
                target.storeBytes(of: UInt16(length).bigEndian, toByteOffset: 0, as: UInt16.self)
                if let source = utf8.baseAddress, let destination = target.baseAddress {
                    (destination + 2).copyMemory(from: source, byteCount: length)
                }
                return 2 + length
            }
        }
    }

    /// Writes a string where `nil` travels as the empty string.
    ///
    /// - Throws: As ``writeWireString(_:field:)``.
    public mutating func writeWireOptionalString(_ value: String?, field: String) throws(WireError) {
        try self.writeWireString(value ?? "", field: field)
    }

    /// Writes a `u16` element count.
    ///
    /// - Throws: ``WireError/malformedBody(_:)`` when `count` is more than 65 535.
    public mutating func writeWireCount(_ count: Int, field: String) throws(WireError) {
        try WireFieldCheck.count(count, field: field)
        self.writeInteger(UInt16(count))
    }

    /// Writes a `u32` element count.
    ///
    /// - Throws: ``WireError/malformedBody(_:)`` when `count` is over 4 294 967 295.
    public mutating func writeWireLargeCount(_ count: Int, field: String) throws(WireError) {
        guard count <= UInt32.max else { throw .malformedBody("\(field) is \(count); at most \(UInt32.max) fit") }
        self.writeInteger(UInt32(count))
    }

    /// Writes a flag as a `u8`, 1 for true and 0 for false.
    public mutating func writeWireFlag(_ value: Bool) {
        self.writeInteger(UInt8(value ? 1 : 0))
    }

    /// Writes an `Int64` where `nil` travels as -1.
    ///
    /// - Throws: ``WireError/malformedBody(_:)`` when `value` is negative.
    public mutating func writeWireOptionalNonNegative(_ value: Int64?, field: String) throws(WireError) {
        try WireFieldCheck.nonNegative(value, field: field)
        self.writeInteger(value ?? -1)
    }

    /// Writes a `u32` length and the bytes, where `nil` travels as length 0.
    ///
    /// - Throws: ``WireError/malformedBody(_:)`` when there are more than 4 294 967 295 bytes.
    public mutating func writeWireOptionalBytes(_ value: [UInt8]?, field: String) throws(WireError) {
        let bytes = value ?? []
        guard bytes.count <= UInt32.max else {
            throw .malformedBody("\(field) is \(bytes.count) bytes; at most \(UInt32.max) fit")
        }
        self.writeInteger(UInt32(bytes.count))
        self.writeBytes(bytes)
    }
}
