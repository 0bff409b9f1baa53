/// How limits are set before a binary or HTTP run: `PUT /v1/tenants/{t}/limits/{metric}` on quotad's HTTP API.
public struct SetupSettings: Hashable, Sendable {
    /// The TCP port of quotad's HTTP API (on the bench's `--host`).
    public var httpPort: Int
    /// The audit level of the limits set.
    public var audit: SetupAudit

    /// Creates the settings.
    public init(httpPort: Int, audit: SetupAudit) {
        self.httpPort = httpPort
        self.audit = audit
    }
}
