extension QuotaError.Code {
    /// The code with this stable name (`invalid_argument`, `quota_not_found`, …), or `nil` for an unknown one.
    public init?(rawValue: String) {
        let known: [QuotaError.Code] = [
            .invalidArgument, .quotaNotFound, .payloadTooLarge, .idempotencyConflict, .unavailable, .internalError,
        ]
        guard let code = known.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = code
    }
}

extension QuotaError: Codable {
    private enum CodingKeys: String, CodingKey {
        case code
        case message
    }

    /// Decodes `{"code": "unavailable", "message": "…"}`; an unknown code is refused.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .code)
        guard let code = Code(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                forKey: .code,
                in: container,
                debugDescription: "unknown error code '\(name)'"
            )
        }
        self.init(code, try container.decode(String.self, forKey: .message))
    }

    /// Encodes `{"code", "message"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.code.rawValue, forKey: .code)
        try container.encode(self.message, forKey: .message)
    }
}
