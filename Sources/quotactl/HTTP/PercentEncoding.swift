/// Percent-encoding of path segments and query components (RFC 3986).
///
/// Tenant and metric ids may contain any non-control UTF-8 character, including `/`, `?`, `%` and spaces, so every
/// byte outside the unreserved set is encoded. A segment made only of dots is encoded too, so that `.` and `..` are
/// never mistaken for relative path steps by a proxy or router that normalizes paths.
enum PercentEncoding {
    /// Returns `component` with every byte outside `A-Z a-z 0-9 - . _ ~` written as `%XX`.
    static func encode(_ component: String) -> String {
        let encodeDots = !component.isEmpty && component.allSatisfy { $0 == "." }
        var encoded = ""
        encoded.reserveCapacity(component.utf8.count)
        for byte in component.utf8 {
            if Self.isUnreserved(byte) && !(encodeDots && byte == UInt8(ascii: ".")) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%"
                encoded += Self.hexDigit(byte >> 4)
                encoded += Self.hexDigit(byte & 0x0F)
            }
        }
        return encoded
    }

    /// Builds an origin-form request target from raw path segments and query items, encoding each of them.
    static func target(basePath: String, segments: [String], query: [(name: String, value: String)]) -> String {
        var target = basePath
        for segment in segments {
            target += "/" + Self.encode(segment)
        }
        if !query.isEmpty {
            target += "?" + query.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
        }
        return target
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> String {
        String(Unicode.Scalar(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10))
    }
}
