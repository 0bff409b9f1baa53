import NIOCore
import NIOPosix

/// Opens and closes one TCP connection to each load port before the setup changes anything: a run whose target is
/// not listening must fail before it has set any tenant's limit.
enum TargetProbe {
    /// Connects to every port of `ports` on `host`, in order, and closes each connection at once.
    ///
    /// - Throws: ``BenchError/connectFailed(address:reason:)`` for the first port that does not accept.
    static func check(host: String, ports: [Int], group: any EventLoopGroup) async throws(BenchError) {
        for port in ports {
            do {
                let channel = try await ClientBootstrap(group: group).connect(host: host, port: port).get()
                try await channel.close()
            } catch {
                throw .connectFailed(
                    address: BenchConfiguration.address(host: host, port: port),
                    reason: ConnectFailure.reason(error)
                )
            }
        }
    }
}
