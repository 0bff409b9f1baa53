import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP connection of a run: consume and check are `POST /v1/tenants/{t}/consume|check` with
/// `{"metric":"api_calls","amount":1}`, status is `GET /v1/tenants/{t}/status`.
struct HTTPBenchConnection: BenchConnection {
    let connection: HTTPConnection

    /// The body of every consume and check.
    private static let usageBody = ByteBuffer(string: #"{"metric":"\#(BenchConfiguration.metric)","amount":1}"#)

    func execute(_ request: BenchRequest) async -> RequestOutcome {
        let exchange: HTTPExchangeRequest
        switch request.operation {
        case .consume:
            exchange = HTTPExchangeRequest(
                method: .POST,
                path: "/v1/tenants/\(request.tenant)/consume",
                body: Self.usageBody
            )
        case .check:
            exchange = HTTPExchangeRequest(
                method: .POST,
                path: "/v1/tenants/\(request.tenant)/check",
                body: Self.usageBody
            )
        case .status:
            exchange = HTTPExchangeRequest(method: .GET, path: "/v1/tenants/\(request.tenant)/status", body: nil)
        }
        do {
            return Self.outcome(of: try await self.connection.send(exchange), operation: request.operation)
        } catch {
            return .transportFailed(error.description)
        }
    }

    func close() async {
        await self.connection.close()
    }

    /// 200 is allowed (for a check: unless its decision says `"allowed": false`), 429 denied, anything else an error.
    static func outcome(of response: HTTPExchangeResponse, operation: BenchOperation) -> RequestOutcome {
        switch response.status {
        case .ok:
            guard operation == .check else { return .allowed }
            switch self.decisionAllows(response.body) {
            case true?: return .allowed
            case false?: return .denied
            case nil:
                return .failed(
                    "HTTP 200 with a body that is not a decision: \(String(buffer: response.body).prefix(200))"
                )
            }
        case .tooManyRequests:
            return .denied
        default:
            let body = String(buffer: response.body)
            return .failed("HTTP \(response.status.code): \(body.prefix(200))")
        }
    }

    /// The `allowed` field of a decision body, or `nil` when the body is not a decision.
    private static func decisionAllows(_ body: ByteBuffer) -> Bool? {
        let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        return object?["allowed"] as? Bool
    }
}
