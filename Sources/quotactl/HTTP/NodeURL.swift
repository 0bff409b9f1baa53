import ArgumentParser

/// The address of a quotad node's HTTP API: `http://host[:port][/base/path]`.
///
/// Only plain HTTP is supported; `https://` is refused with an explanation, because quotactl has no TLS stack.
/// IPv6 literals are written in brackets (`http://[::1]:8080`). A base path, if any, is kept and prefixed to every
/// request path, so a node behind a path-routing proxy can be reached.
struct NodeURL: Sendable, CustomStringConvertible {
    /// The host name or IP address, without IPv6 brackets.
    let host: String
    /// The TCP port; 80 when the URL names none.
    let port: Int
    /// The path prefix without a trailing slash, or the empty string.
    let basePath: String

    /// Parses a URL given on the command line or in `QUOTACTL_URL`.
    ///
    /// - Throws: `ValidationError` naming what is wrong with the URL.
    init(parsing text: String) throws {
        let lowered = text.lowercased()
        if lowered.hasPrefix("https://") {
            throw ValidationError(
                "'\(text)' uses https://, which quotactl does not support: it speaks plain HTTP only. "
                    + "Give the node's http:// address."
            )
        }
        guard lowered.hasPrefix("http://") else {
            throw ValidationError("'\(text)' is not an http:// URL (expected http://host[:port]).")
        }
        let rest = text.dropFirst("http://".count)
        if rest.contains("?") || rest.contains("#") {
            throw ValidationError("'\(text)' must not contain a query or fragment.")
        }
        let authority = rest.prefix(while: { $0 != "/" })
        let path = rest.dropFirst(authority.count)
        if authority.contains("@") {
            throw ValidationError("'\(text)' must not contain user information.")
        }

        let hostPart: Substring
        let portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw ValidationError("'\(text)' has an unterminated IPv6 address (missing ']').")
            }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let afterBracket = authority[authority.index(after: close)...]
            if afterBracket.isEmpty {
                portPart = nil
            } else if afterBracket.hasPrefix(":") {
                portPart = afterBracket.dropFirst()
            } else {
                throw ValidationError("'\(text)' has unexpected text after the IPv6 address.")
            }
        } else if let colon = authority.firstIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        } else {
            hostPart = authority
            portPart = nil
        }

        guard !hostPart.isEmpty else {
            throw ValidationError("'\(text)' has no host.")
        }
        var port = 80
        if let portPart {
            guard let parsed = Int(portPart), (1...65_535).contains(parsed) else {
                throw ValidationError("'\(text)' has an invalid port '\(portPart)' (expected 1-65535).")
            }
            port = parsed
        }

        self.host = String(hostPart)
        self.port = port
        self.basePath = path.hasSuffix("/") ? String(path.dropLast()) : String(path)
    }

    /// The value of the `Host` request header.
    var hostHeader: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return self.port == 80 ? host : "\(host):\(self.port)"
    }

    /// The URL in canonical form, used in messages.
    var description: String { "http://\(self.hostHeader)\(self.basePath)" }
}
