import NIOCore

/// Opens keep-alive HTTP/1.1 connections to quotad's API.
struct HTTPConnector: BenchConnector {
    let host: String
    let port: Int
    let group: any EventLoopGroup

    func connect() async throws(BenchError) -> any BenchConnection {
        HTTPBenchConnection(connection: try await self.open())
    }

    /// Opens one connection.
    ///
    /// - Throws: ``BenchError/connectFailed(address:reason:)``.
    func open() async throws(BenchError) -> HTTPConnection {
        do {
            return try await HTTPConnection.connect(host: self.host, port: self.port, group: self.group)
        } catch {
            throw .connectFailed(
                address: BenchConfiguration.address(host: self.host, port: self.port),
                reason: ConnectFailure.reason(error)
            )
        }
    }
}
