import QuotaTransport
import QuotaWire
import Synchronization

/// One QuotaWire connection: requests of all its lanes are pipelined on one ``WireClient``, with ids from a counter.
final class BinaryConnection: BenchConnection {
    private let client: WireClient
    private let lastRequestID = Atomic<UInt64>(0)

    init(client: WireClient) {
        self.client = client
    }

    func execute(_ request: BenchRequest) async -> RequestOutcome {
        let id = self.lastRequestID.wrappingAdd(1, ordering: .relaxed).newValue
        let wireRequest: WireRequest
        switch request.operation {
        case .consume:
            wireRequest = WireRequest(requestID: id, operation: .consume, tenant: request.tenant, items: Self.items)
        case .check:
            wireRequest = WireRequest(requestID: id, operation: .check, tenant: request.tenant, items: Self.items)
        case .status:
            wireRequest = WireRequest(requestID: id, operation: .status, tenant: request.tenant, items: [])
        }
        do {
            return Self.outcome(of: try await self.client.send(wireRequest).body)
        } catch {
            return .transportFailed(Self.reason(error))
        }
    }

    func close() async {
        try? await self.client.close()
    }

    /// The one item of a consume or check: 1 unit of the bench's metric.
    private static let items = [WireItem(metric: BenchConfiguration.metric, amount: 1)]

    /// A decision is allowed or denied; a status is allowed (it was answered); an error frame is an error.
    static func outcome(of body: WireResponse.Body) -> RequestOutcome {
        switch body {
        case .decision(let decision): decision.allowed ? .allowed : .denied
        case .status: .allowed
        case .error(let code, let message): .failed("\(code): \(message)")
        }
    }

    /// A short reason for a request that got no answer.
    static func reason(_ error: WireTransportError) -> String {
        switch error {
        case .connectionClosed: "the connection closed before the answer"
        case .connectionRejected(let code, let message): "the server rejected the connection: \(code): \(message)"
        case .invalidRequestID(let id): "request id \(id) is already outstanding"
        case .unencodableRequest(let error): "the request cannot be encoded: \(error)"
        case .malformedResponse(let error): "malformed answer: \(error)"
        case .serverAlreadyStarted, .serverClosed: "\(error)"
        }
    }
}
