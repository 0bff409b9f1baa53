import ArgumentParser

/// The client-side checks on tenant and metric ids, so that an id the node would refuse fails before any request.
///
/// An id is 1 to 128 bytes of UTF-8 without control characters; anything else, spaces and `/` included, is allowed
/// and percent-encoded in the request path.
enum Identifier {
    static let maximumBytes = 128

    /// Throws a `ValidationError` naming `role` (`tenant`, `metric`) when `id` is not a valid id.
    static func validate(_ id: String, as role: String) throws {
        if id.isEmpty {
            throw ValidationError("The \(role) id must not be empty.")
        }
        if id.utf8.count > Self.maximumBytes {
            throw ValidationError(
                "The \(role) id is \(id.utf8.count) bytes of UTF-8; at most \(Self.maximumBytes) are allowed."
            )
        }
        if id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw ValidationError("The \(role) id \(id.debugDescription) contains a control character.")
        }
    }
}
