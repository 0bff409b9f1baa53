/// Why bytes could not be read as, or a value could not be written as, a QuotaWire frame.
///
/// The first five cases are *framing* errors: they are found in the 18-byte header, after which the
/// byte stream cannot be trusted to stay in step, so a connection that sees one must close
/// (see ``isFramingError``). The last two are found in the body of a well-framed frame: the frame
/// is rejected, but the next frame starts at a known offset and the connection can go on.
public enum WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The first two bytes are not `0x51 0x54` ("QT").
    case badMagic
    /// The version byte is not ``WireFrameHeader/version``; carries the version received.
    case unsupportedVersion(UInt8)
    /// The kind byte names no ``WireFrameKind``; carries the byte received.
    case unknownKind(UInt8)
    /// The flags field is not zero (version 1 defines no flags).
    case nonZeroFlags
    /// The header announces a body of `length` bytes, more than the receiver's `maximum`.
    case frameTooLarge(length: UInt32, maximum: UInt32)
    /// The body does not follow the layout of its kind: too short for a field, a string that is not
    /// UTF-8, an out-of-range value, a count the body cannot hold, or (when encoding) a value that
    /// does not fit its field. The text names the field.
    case malformedBody(String)
    /// The body has this many bytes left over after its last field.
    case trailingBytes(Int)

    /// Whether this error was found in a frame header, so the connection must be closed.
    public var isFramingError: Bool {
        switch self {
        case .badMagic, .unsupportedVersion, .unknownKind, .nonZeroFlags, .frameTooLarge: true
        case .malformedBody, .trailingBytes: false
        }
    }

    /// The error code to answer with: ``WireErrorCode/payloadTooLarge`` for ``frameTooLarge(length:maximum:)``,
    /// ``WireErrorCode/badFrame`` for every other case.
    public var code: String {
        switch self {
        case .frameTooLarge: WireErrorCode.payloadTooLarge
        default: WireErrorCode.badFrame
        }
    }

    /// A sentence that says what was wrong, for logs and error messages.
    public var description: String {
        switch self {
        case .badMagic: "bad magic: a frame must start with 0x51 0x54"
        case .unsupportedVersion(let version): "unsupported protocol version \(version); this side speaks version 1"
        case .unknownKind(let kind): "unknown frame kind 0x\(String(kind, radix: 16))"
        case .nonZeroFlags: "flags must be 0 in protocol version 1"
        case .frameTooLarge(let length, let maximum): "frame body of \(length) bytes exceeds the maximum of \(maximum)"
        case .malformedBody(let reason): "malformed body: \(reason)"
        case .trailingBytes(let count): "malformed body: \(count) bytes after the last field"
        }
    }
}
