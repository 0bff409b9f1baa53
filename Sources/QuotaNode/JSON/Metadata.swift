import QuotaCore
import QuotaJSON

/// Client metadata attached to a consume or release: a JSON object of at most 4 KiB, stored with the
/// usage events as canonical JSON text (compact, keys sorted).
public enum Metadata {
    /// The canonical text of `value`.
    ///
    /// - Throws: ``QuotaError/Code/invalidArgument`` when `value` is not a JSON object;
    ///   ``QuotaError/Code/payloadTooLarge`` when its canonical text is over
    ///   ``QuotaCore/UsageRequest/maximumMetadataBytes`` bytes.
    public static func canonicalText(of value: JSONValue) throws -> String {
        guard case .object = value else { throw QuotaError.invalidArgument("metadata must be a JSON object") }
        let text = try value.canonicalText()
        guard text.utf8.count <= UsageRequest.maximumMetadataBytes else {
            throw QuotaError(
                .payloadTooLarge,
                "metadata is \(text.utf8.count) bytes; the maximum is \(UsageRequest.maximumMetadataBytes) bytes"
            )
        }
        return text
    }

    /// The canonical text of metadata received as raw JSON bytes (the binary protocol).
    ///
    /// - Throws: as ``canonicalText(of:)``, and ``QuotaError/Code/invalidArgument`` for invalid JSON.
    public static func canonicalText(ofJSON bytes: [UInt8]) throws -> String {
        // Reject obviously oversized input before parsing it.
        guard bytes.count <= 4 * UsageRequest.maximumMetadataBytes else {
            throw QuotaError(.payloadTooLarge, "metadata is \(bytes.count) bytes; the maximum is 4096 bytes")
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw QuotaError.invalidArgument("metadata is not valid JSON")
        }
        return try self.canonicalText(of: value)
    }
}
