extension IdempotencyEntry: Codable {
    private enum CodingKeys: String, CodingKey {
        case tenant
        case key
        case fingerprint
        case decision
        case createdAt = "created_at"
    }

    /// Decodes an entry from a JSON object, every key required:
    ///
    /// ```json
    /// {"tenant": "acme", "key": "order-1234", "fingerprint": "18446744073709551615",
    ///  "decision": {…}, "created_at": 1782900000000}
    /// ```
    ///
    /// `fingerprint` is the UInt64 as a JSON *string* of decimal digits in canonical form (no sign, no leading
    /// zeros), because a JSON number above 2⁵³ loses precision in many JSON readers. `decision` is a
    /// ``Decision`` in its own `Codable` shape (the one storage keeps), and `created_at` a ``Timestamp`` integer.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the tenant or key is invalid, or the fingerprint is not a
    ///   canonical decimal in 0…18446744073709551615; `DecodingError.typeMismatch` for a fingerprint that is a
    ///   JSON number; `DecodingError.keyNotFound` for a missing key.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let digits = try container.decode(String.self, forKey: .fingerprint)
        guard let fingerprint = UInt64(digits, radix: 10), String(fingerprint) == digits else {
            throw DecodingError.dataCorruptedError(
                forKey: .fingerprint,
                in: container,
                debugDescription: "fingerprint must be the decimal digits of an unsigned 64-bit integer, "
                    + "without sign or leading zeros; got '\(digits)'"
            )
        }
        self.init(
            tenant: try container.decode(TenantID.self, forKey: .tenant),
            key: try container.decode(IdempotencyKey.self, forKey: .key),
            fingerprint: fingerprint,
            decision: try container.decode(Decision.self, forKey: .decision),
            createdAt: try container.decode(Timestamp.self, forKey: .createdAt)
        )
    }

    /// Encodes the entry as a JSON object with the keys `tenant`, `key`, `fingerprint` (a string of decimal
    /// digits, for example `"18446744073709551615"`), `decision` and `created_at`, all present.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.tenant, forKey: .tenant)
        try container.encode(self.key, forKey: .key)
        try container.encode(String(self.fingerprint), forKey: .fingerprint)
        try container.encode(self.decision, forKey: .decision)
        try container.encode(self.createdAt, forKey: .createdAt)
    }
}
