/// One HTTP connection to the target, shared by the lanes of that connection, which send on it concurrently
/// (binary and RESP runs are driven by a ``LoadDriver`` in the channel pipeline instead).
protocol BenchConnection: Sendable {
    /// Sends `request` and waits for its outcome; never throws: failures are outcomes.
    func execute(_ request: BenchRequest) async -> RequestOutcome

    /// Closes the connection; requests still outstanding end as ``RequestOutcome/transportFailed(_:)``.
    func close() async
}

/// Opens the connections of a run.
protocol BenchConnector: Sendable {
    /// Opens one connection.
    ///
    /// - Throws: ``BenchError/connectFailed(address:reason:)``.
    func connect() async throws(BenchError) -> any BenchConnection
}
