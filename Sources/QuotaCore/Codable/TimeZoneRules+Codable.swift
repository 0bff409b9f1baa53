extension TimeZoneRules: Codable {
    /// Decodes a zone from a single JSON string, its IANA identifier, for example `"Europe/Berlin"` or `"UTC"`,
    /// looked up in the time zone database through ``init(identifier:)``.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the identifier is empty or names no known zone, with the
    ///   message of ``init(identifier:)``; `DecodingError.typeMismatch` when the value is not a string.
    public init(from decoder: any Decoder) throws {
        let identifier = try decoder.singleValueContainer().decode(String.self)
        self = try DecodingError.validating(codingPath: decoder.codingPath) {
            try TimeZoneRules(identifier: identifier)
        }
    }

    /// Encodes the zone as a single JSON string, its ``identifier`` exactly as it was given: `"Europe/Berlin"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.identifier)
    }
}
