/// Validation shared by every client-supplied identifier (tenant ids, metric codes, idempotency keys).
///
/// An identifier is 1…`maximumBytes` bytes of UTF-8 with no control characters (Unicode general
/// category Cc: U+0000–U+001F and U+007F–U+009F). The limit counts bytes, not characters, so that
/// storage and wire sizes are bounded.
enum Identifier {
    /// Checks `value` and throws ``QuotaError/Code/invalidArgument`` naming `field` when it is empty,
    /// longer than `maximumBytes` UTF-8 bytes, or contains a control character.
    static func validate(_ value: String, field: String, maximumBytes: Int) throws {
        let byteCount = value.utf8.count
        guard byteCount > 0 else { throw QuotaError.invalidArgument("\(field) must not be empty") }
        guard byteCount <= maximumBytes else {
            throw QuotaError.invalidArgument(
                "\(field) is \(byteCount) bytes long; the maximum is \(maximumBytes) bytes"
            )
        }
        if let control = self.firstControlCharacter(in: value) {
            throw QuotaError.invalidArgument("\(field) must not contain control characters (found U+\(hex(control)))")
        }
    }

    /// The first control character of `value` (U+0000–U+001F, U+007F–U+009F), found in its UTF-8 bytes without
    /// decoding scalars: U+0000–U+001F and U+007F are the bytes 0x00–0x1F and 0x7F, and U+0080–U+009F are 0xC2
    /// followed by 0x80–0x9F (RFC 3629, section 3). A byte after 0xC2 is always the continuation of its scalar, as
    /// a `String` holds valid UTF-8.
    ///
    /// - Returns: The character's scalar value, or `nil` when there is none.
    static func firstControlCharacter(in value: String) -> UInt32? {
        var previous: UInt8 = 0
        for byte in value.utf8 {
            if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && byte <= 0x9F) { return UInt32(byte) }
            previous = byte
        }
        return nil
    }

    /// Byte-wise equality of the UTF-8 forms: two spellings of one character (precomposed or not) are
    /// different ids, as they are to SQLite and to the ring's hash.
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        // Two strings with the same representation (the same small-string bytes, or the same storage) are equal:
        // the common case of a lookup that finds its id, decided without reading the bytes one by one. The size
        // test is a constant (a `String` is two words on 64-bit platforms).
        if MemoryLayout<String>.size == MemoryLayout<(UInt64, UInt64)>.size,
            unsafeBitCast(lhs, to: (UInt64, UInt64).self) == unsafeBitCast(rhs, to: (UInt64, UInt64).self)
        {
            return true
        }
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        let compared = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                bytesEqual(UnsafeRawBufferPointer(left), UnsafeRawBufferPointer(right))
            }
        }
        return (compared ?? nil) ?? lhs.utf8.elementsEqual(rhs.utf8)
    }

    /// Compares two buffers of the same length eight bytes at a time.
    private static func bytesEqual(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset + 8 <= lhs.count {
            let left = lhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            guard left == rhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
            offset += 8
        }
        while offset < lhs.count {
            guard lhs[offset] == rhs[offset] else { return false }
            offset += 1
        }
        return true
    }

    /// Hashes the UTF-8 bytes, consistently with ``equal(_:_:)``.
    static func hash(_ value: String, into hasher: inout Hasher) {
        hasher.combine(value.utf8.count)
        let hashed: Void? = value.utf8.withContiguousStorageIfAvailable {
            hasher.combine(bytes: UnsafeRawBufferPointer($0))
        }
        if hashed == nil { for byte in value.utf8 { hasher.combine(byte) } }
    }

    /// Byte-wise order of the UTF-8 forms, as SQLite's `BINARY` collation orders them.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
