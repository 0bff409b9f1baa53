/// Writes the fields of one frame into memory reserved for exactly its bytes, with no capacity check or
/// `ByteBuffer` bookkeeping per field: the encoder measures and validates the frame first
/// (``WireCodec/encodedSize(of:)``), reserves that many bytes once, and then nothing can fail.
///
/// Integers are stored big-endian and unaligned, as the protocol lays them out (docs/wire-protocol.md).
struct WireFrameWriter {
    private let bytes: UnsafeMutableRawBufferPointer
    /// Bytes written so far.
    private(set) var offset = 0

    /// A writer of `bytes`, which must have room for every field written.
    init(_ bytes: UnsafeMutableRawBufferPointer) { self.bytes = bytes }

    mutating func write<Value: FixedWidthInteger>(_ value: Value) {
        precondition(self.offset + MemoryLayout<Value>.size <= self.bytes.count, "frame larger than measured")
        self.bytes.storeBytes(of: value.bigEndian, toByteOffset: self.offset, as: Value.self)
        self.offset += MemoryLayout<Value>.size
    }

    /// A flag as a `u8`, 1 for true and 0 for false.
    mutating func writeFlag(_ value: Bool) { self.write(UInt8(value ? 1 : 0)) }

    /// An `Int64` where `nil` travels as -1; the caller has checked that `value` is not negative.
    mutating func writeOptionalNonNegative(_ value: Int64?) { self.write(value ?? -1) }

    /// A `u16` length and the UTF-8 bytes of `value`; the caller has checked that the length fits.
    mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            self.write(UInt16(utf8.count))
            precondition(self.offset + utf8.count <= self.bytes.count, "frame larger than measured")
            if let base = utf8.baseAddress {
                (self.bytes.baseAddress! + self.offset).copyMemory(from: base, byteCount: utf8.count)
            }
            self.offset += utf8.count
        }
    }

    /// The 18 header bytes (``WireFrameHeader``).
    mutating func writeHeader(_ header: WireFrameHeader) {
        self.write(WireFrameHeader.magic.0)
        self.write(WireFrameHeader.magic.1)
        self.write(WireFrameHeader.version)
        self.write(header.kind.rawValue)
        self.write(UInt16(0))
        self.write(header.requestID)
        self.write(header.bodyLength)
    }
}
