/// One of quotad's two listeners, with the settings that chose its address.
struct Listener: Sendable {
    /// Which listener.
    enum Kind: Sendable {
        /// The HTTP/JSON API.
        case http
        /// The binary protocol (clients and peers).
        case binary
    }

    /// Which listener this is.
    let kind: Kind
    /// `--http-host` or `--tcp-host`.
    let host: Setting<String>
    /// `--http-port` or `--tcp-port`.
    let port: Setting<Int>

    /// What it serves, for messages: `the HTTP API`, `the binary protocol`.
    var title: String {
        switch self.kind {
        case .http: "the HTTP API"
        case .binary: "the binary protocol"
        }
    }

    /// Its `listening` line once bound on `port`: `listening http=127.0.0.1:8080`, `listening tcp=…`.
    func announcement(port: Int) -> String {
        switch self.kind {
        case .http: "listening http=\(self.host.value):\(port)"
        case .binary: "listening tcp=\(self.host.value):\(port)"
        }
    }

    /// The address it was asked to listen on, `host:port` (an IPv6 host in brackets).
    var address: String {
        let host = self.host.value
        return host.contains(":") ? "[\(host)]:\(self.port.value)" : "\(host):\(self.port.value)"
    }
}
