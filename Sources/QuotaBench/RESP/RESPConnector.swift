import NIOCore

/// Opens RESP connections for a run, once the scripts are loaded (see ``load(host:port:group:limits:)``).
struct RESPConnector: BenchConnector {
    let host: String
    let port: Int
    let group: any EventLoopGroup
    /// The SHA1 of ``RateLimitScripts/consume`` in the server's script cache.
    let consumeSHA: String
    /// The SHA1 of ``RateLimitScripts/check`` in the server's script cache.
    let checkSHA: String
    let period: LimitPeriod

    /// Loads both scripts with `SCRIPT LOAD` on a connection of its own, and returns the connector that uses them.
    ///
    /// - Throws: ``BenchError/connectFailed(address:reason:)`` when Redis cannot be reached,
    ///   ``BenchError/scriptLoadFailed(_:)`` when it does not answer `SCRIPT LOAD` with a SHA1.
    static func load(
        host: String,
        port: Int,
        group: any EventLoopGroup,
        period: LimitPeriod
    ) async throws(BenchError) -> RESPConnector {
        let connection = try await self.open(host: host, port: port, group: group)
        let consumeSHA: String
        let checkSHA: String
        do {
            consumeSHA = try await self.scriptLoad(RateLimitScripts.consume, on: connection)
            checkSHA = try await self.scriptLoad(RateLimitScripts.check, on: connection)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
        return RESPConnector(
            host: host,
            port: port,
            group: group,
            consumeSHA: consumeSHA,
            checkSHA: checkSHA,
            period: period
        )
    }

    func connect() async throws(BenchError) -> any BenchConnection {
        RESPBenchConnection(
            connection: try await Self.open(host: self.host, port: self.port, group: self.group),
            consumeSHA: self.consumeSHA,
            checkSHA: self.checkSHA,
            period: self.period
        )
    }

    private static func open(
        host: String,
        port: Int,
        group: any EventLoopGroup
    ) async throws(BenchError) -> RESPConnection {
        do {
            return try await RESPConnection.connect(host: host, port: port, group: group)
        } catch {
            throw .connectFailed(
                address: BenchConfiguration.address(host: host, port: port),
                reason: ConnectFailure.reason(error)
            )
        }
    }

    private static func scriptLoad(_ script: String, on connection: RESPConnection) async throws(BenchError) -> String {
        let reply: RESPValue
        do {
            reply = try await connection.send(["SCRIPT", "LOAD", script])
        } catch {
            throw .scriptLoadFailed(error.description)
        }
        switch reply {
        case .bulkString(let bytes?) where bytes.count == 40:
            return String(decoding: bytes, as: UTF8.self)
        case .error(let message):
            throw .scriptLoadFailed(message)
        default:
            throw .scriptLoadFailed("unexpected reply \(reply)")
        }
    }
}
