import NIOCore

/// The fixed 18-byte header that starts every frame, all integers big-endian.
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 2 | magic `0x51 0x54` ("QT") |
/// | 2 | 1 | version, ``version`` |
/// | 3 | 1 | kind, a ``WireFrameKind`` |
/// | 4 | 2 | flags, `0` in version 1 |
/// | 6 | 8 | request id |
/// | 14 | 4 | body length in bytes |
///
/// Magic, version and flags are constants of version 1 and so are not stored.
public struct WireFrameHeader: Hashable, Sendable {
    /// The size of a header in bytes.
    public static let size = 18
    /// The protocol version this module reads and writes.
    public static let version: UInt8 = 1
    /// The two magic bytes, `0x51 0x54` ("QT").
    public static let magic: (UInt8, UInt8) = (0x51, 0x54)

    /// What the frame carries.
    public var kind: WireFrameKind
    /// The id the client chose for the request; a response echoes the id of the request it answers,
    /// and `0` marks a connection-level error response.
    public var requestID: UInt64
    /// The number of body bytes that follow the header.
    public var bodyLength: UInt32

    /// Creates a header.
    public init(kind: WireFrameKind, requestID: UInt64, bodyLength: UInt32) {
        self.kind = kind
        self.requestID = requestID
        self.bodyLength = bodyLength
    }

    /// Reads the header at the reader index of `buffer` without moving it.
    ///
    /// Checks each field as soon as its bytes are there, so garbage is refused after its first bad byte
    /// rather than after 18 bytes, and the body length is checked before any body byte is awaited: against
    /// `maximumPeerBodyBytes` for a ``WireFrameKind/peer`` frame, against `maximumBodyBytes` for any other.
    ///
    /// - Returns: The header, or `nil` when fewer than ``size`` bytes are readable and those that are look right.
    /// - Throws: ``WireError/badMagic``, ``WireError/unsupportedVersion(_:)``, ``WireError/unknownKind(_:)``,
    ///   ``WireError/nonZeroFlags`` or ``WireError/frameTooLarge(length:maximum:)`` when the bytes read so far
    ///   cannot start a valid frame.
    static func peek(
        in buffer: ByteBuffer,
        maximumBodyBytes: UInt32,
        maximumPeerBodyBytes: UInt32
    ) throws(WireError) -> WireFrameHeader? {
        let start = buffer.readerIndex
        let readable = buffer.readableBytes
        if readable >= 1, buffer.getInteger(at: start, as: UInt8.self) != Self.magic.0 { throw .badMagic }
        if readable >= 2, buffer.getInteger(at: start + 1, as: UInt8.self) != Self.magic.1 { throw .badMagic }
        if readable >= 3, let version = buffer.getInteger(at: start + 2, as: UInt8.self), version != Self.version {
            throw .unsupportedVersion(version)
        }
        var kind: WireFrameKind?
        if readable >= 4, let byte = buffer.getInteger(at: start + 3, as: UInt8.self) {
            guard let known = WireFrameKind(rawValue: byte) else { throw .unknownKind(byte) }
            kind = known
        }
        if readable >= 6, buffer.getInteger(at: start + 4, as: UInt16.self) != 0 { throw .nonZeroFlags }
        guard
            let kind,
            let requestID = buffer.getInteger(at: start + 6, as: UInt64.self),
            let bodyLength = buffer.getInteger(at: start + 14, as: UInt32.self)
        else { return nil }
        let maximum = kind == .peer ? maximumPeerBodyBytes : maximumBodyBytes
        guard bodyLength <= maximum else {
            throw .frameTooLarge(length: bodyLength, maximum: maximum)
        }
        return WireFrameHeader(kind: kind, requestID: requestID, bodyLength: bodyLength)
    }

    /// Appends the 18 header bytes to `buffer`.
    func write(into buffer: inout ByteBuffer) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.size) { bytes in
            var writer = WireFrameWriter(bytes)
            writer.writeHeader(self)
            return Self.size
        }
    }
}
