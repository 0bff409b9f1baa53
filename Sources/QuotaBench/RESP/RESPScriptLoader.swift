import NIOCore

/// Loads the rate-limit scripts into Redis before a RESP run.
enum RESPScriptLoader {
    /// The SHA1s under which Redis caches ``RateLimitScripts/consume`` and ``RateLimitScripts/check``.
    struct Digests: Sendable {
        var consume: String
        var check: String
    }

    /// Loads both scripts with `SCRIPT LOAD` on a connection of its own, closed afterwards.
    ///
    /// - Throws: ``BenchError/connectFailed(address:reason:)`` when Redis cannot be reached,
    ///   ``BenchError/scriptLoadFailed(_:)`` when it does not answer `SCRIPT LOAD` with a SHA1.
    static func load(host: String, port: Int, group: any EventLoopGroup) async throws(BenchError) -> Digests {
        let connection: RESPConnection
        do {
            connection = try await RESPConnection.connect(host: host, port: port, group: group)
        } catch {
            throw .connectFailed(
                address: BenchConfiguration.address(host: host, port: port),
                reason: ConnectFailure.reason(error)
            )
        }
        do {
            let digests = Digests(
                consume: try await self.scriptLoad(RateLimitScripts.consume, on: connection),
                check: try await self.scriptLoad(RateLimitScripts.check, on: connection)
            )
            await connection.close()
            return digests
        } catch {
            await connection.close()
            throw error
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
