extension DecodingError {
    /// Runs a validating initializer while decoding and reports its refusal as a decoding error.
    ///
    /// A ``QuotaError`` thrown by `make` becomes `DecodingError.dataCorrupted` at `codingPath` (the path of
    /// the value being decoded), with the error's message as the debug description and the error itself as
    /// the underlying error. Any other error is rethrown unchanged. This is how every `Decodable` conformance
    /// of the domain core keeps decoded values to the invariants of the throwing initializers.
    static func validating<Value>(codingPath: [any CodingKey], _ make: () throws -> Value) throws -> Value {
        do {
            return try make()
        } catch let error as QuotaError {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: codingPath, debugDescription: error.message, underlyingError: error)
            )
        }
    }
}
