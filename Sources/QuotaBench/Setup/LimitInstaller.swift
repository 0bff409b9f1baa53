/// Sets the tenants' limits before a run: over quotad's HTTP API (``HTTPLimitInstaller``), or any other way a
/// caller of ``BenchRunner`` provides (an in-process test sets them on its engine).
public protocol LimitInstaller: Sendable {
    /// Sets every limit of `limits`, replacing any limit the tenant had for the metric.
    ///
    /// - Throws: ``BenchError/setupFailed(tenant:reason:)`` naming the first limit that could not be set, or
    ///   ``BenchError/connectFailed(address:reason:)``, or ``BenchError/setupTimedOut(seconds:)``.
    func install(_ limits: [PlannedLimit]) async throws(BenchError)
}
