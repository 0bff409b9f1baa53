import Foundation

/// One RESP connection of a run: consume and check are `EVALSHA` of the rate-limit scripts on the counter of the
/// tenant's current period, `q:{tenant}:{metric}:{period_start}`.
struct RESPBenchConnection: BenchConnection {
    let connection: RESPConnection
    let consumeSHA: String
    let checkSHA: String
    let period: LimitPeriod

    func execute(_ request: BenchRequest) async -> RequestOutcome {
        let sha: String
        switch request.operation {
        case .consume: sha = self.consumeSHA
        case .check: sha = self.checkSHA
        case .status: return .failed("status is not supported in RESP mode")
        }
        let now = Int64(Date().timeIntervalSince1970)
        let key = "q:\(request.tenant):\(BenchConfiguration.metric):\(self.period.start(containing: now))"
        let arguments = ["EVALSHA", sha, "1", key, "1", String(request.limit), String(self.period.seconds)]
        do {
            return Self.outcome(of: try await self.connection.send(arguments))
        } catch {
            return .transportFailed(error.description)
        }
    }

    func close() async {
        await self.connection.close()
    }

    /// `{1, usage}` is allowed, `{0, usage}` denied, an error reply an error.
    static func outcome(of reply: RESPValue) -> RequestOutcome {
        switch reply {
        case .array(let elements?) where elements.first == .integer(1): .allowed
        case .array(let elements?) where elements.first == .integer(0): .denied
        case .error(let message): .failed(message)
        default: .failed("unexpected reply \(reply)")
        }
    }
}
