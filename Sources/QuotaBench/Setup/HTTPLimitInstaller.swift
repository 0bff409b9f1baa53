import NIOCore
import NIOHTTP1

/// Sets limits with `PUT /v1/tenants/{tenant}/limits/{metric}` on quotad's HTTP API, over a few keep-alive
/// connections with pipelined requests.
public struct HTTPLimitInstaller: LimitInstaller {
    /// Connections used.
    static let connections = 4
    /// Requests outstanding per connection.
    static let pipeline = 16
    /// How long setting all the limits may take.
    static let timeout: Duration = .seconds(60)

    private let connector: HTTPConnector
    /// The command-line option that set the port, for the error when the API cannot be reached.
    private let portOption: String

    /// Creates an installer for the API at `host:port`; `portOption` names the option that set the port.
    public init(host: String, port: Int, portOption: String = "--http-port", group: any EventLoopGroup) {
        self.connector = HTTPConnector(host: host, port: port, group: group)
        self.portOption = portOption
    }

    public func install(_ limits: [PlannedLimit]) async throws(BenchError) {
        var connections: [HTTPConnection] = []
        do {
            for _ in 0..<min(Self.connections, max(1, limits.count)) {
                connections.append(try await self.connector.open())
            }
        } catch {
            for connection in connections { await connection.close() }
            if case .connectFailed(let address, let reason) = error {
                throw .setupConnectFailed(address: address, portOption: self.portOption, reason: reason)
            }
            throw error
        }
        let workers = connections.count * Self.pipeline
        let failure = await withTaskGroup(of: BenchError?.self) { group -> BenchError? in
            for worker in 0..<workers {
                let connection = connections[worker % connections.count]
                group.addTask { () -> BenchError? in
                    for index in stride(from: worker, to: limits.count, by: workers) {
                        if let failure = await Self.put(limits[index], on: connection) { return failure }
                    }
                    return nil
                }
            }
            group.addTask {
                // Answers only when the time is up: a cancelled sleep means every worker has finished.
                guard (try? await Task.sleep(for: Self.timeout)) != nil else { return nil }
                return .setupTimedOut(seconds: Int(Self.timeout.components.seconds))
            }
            var finishedWorkers = 0
            for await result in group {
                if let failure = result {
                    // Closing fails the requests still outstanding, so that no worker waits for a hung server.
                    group.cancelAll()
                    for connection in connections { await connection.close() }
                    return failure
                }
                finishedWorkers += 1
                if finishedWorkers == workers { group.cancelAll() }
            }
            return nil
        }
        for connection in connections { await connection.close() }
        if let failure { throw failure }
    }

    /// Sets one limit; answers the failure, or `nil` on 200.
    private static func put(_ limit: PlannedLimit, on connection: HTTPConnection) async -> BenchError? {
        guard !Task.isCancelled else { return nil }
        let body = """
            {"limit":\(limit.limit),"period":"\(limit.period.rawValue)","enforcement":"hard",\
            "audit":"\(limit.audit.rawValue)"}
            """
        let request = HTTPExchangeRequest(
            method: .PUT,
            path: "/v1/tenants/\(limit.tenant)/limits/\(limit.metric)",
            body: ByteBuffer(string: body)
        )
        do {
            let response = try await connection.send(request)
            guard response.status == .ok else {
                let answer = String(buffer: response.body).prefix(200)
                return .setupFailed(tenant: limit.tenant, reason: "HTTP \(response.status.code): \(answer)")
            }
            return nil
        } catch {
            return .setupFailed(tenant: limit.tenant, reason: error.description)
        }
    }
}
