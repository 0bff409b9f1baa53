import NIOCore
import QuotaTransport

/// Opens QuotaWire connections with ``WireClient``.
struct BinaryConnector: BenchConnector {
    let host: String
    let port: Int
    let group: any EventLoopGroup

    func connect() async throws(BenchError) -> any BenchConnection {
        do {
            return BinaryConnection(
                client: try await WireClient.connect(host: self.host, port: self.port, group: self.group)
            )
        } catch {
            throw .connectFailed(
                address: BenchConfiguration.address(host: self.host, port: self.port),
                reason: ConnectFailure.reason(error)
            )
        }
    }
}
