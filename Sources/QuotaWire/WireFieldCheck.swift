/// The range checks of the fields a frame carries, shared by the writers that append fields to a `ByteBuffer`
/// (``NIOCore/ByteBuffer/writeWireString(_:field:)`` and its siblings) and by the response encoder, which checks a
/// whole frame before it writes it (``WireCodec/encodedSize(of:)``).
enum WireFieldCheck {
    /// The UTF-8 length of `value`, which a `u16` length must be able to say.
    ///
    /// - Throws: ``WireError/malformedBody(_:)`` when `value` is longer than 65 535 bytes of UTF-8.
    static func stringLength(_ value: String, field: String) throws(WireError) -> Int {
        let length = value.utf8.count
        guard length <= UInt16.max else {
            throw .malformedBody("\(field) is \(length) bytes of UTF-8; at most \(UInt16.max) fit")
        }
        return length
    }

    /// Checks an element count that travels as a `u16`.
    ///
    /// - Throws: ``WireError/malformedBody(_:)`` when `count` is more than 65 535.
    static func count(_ count: Int, field: String) throws(WireError) {
        guard count <= UInt16.max else { throw .malformedBody("\(field) is \(count); at most \(UInt16.max) fit") }
    }

    /// Checks an optional number that travels as an `Int64` where -1 means none.
    ///
    /// - Throws: ``WireError/malformedBody(_:)`` when `value` is negative.
    static func nonNegative(_ value: Int64?, field: String) throws(WireError) {
        if let value, value < 0 { throw .malformedBody("\(field) must be at least 0, got \(value)") }
    }
}
