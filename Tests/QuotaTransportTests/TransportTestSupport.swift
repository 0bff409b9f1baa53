import Logging
import NIOCore
import NIOPosix
import QuotaCore
import QuotaTransport
import QuotaWire
import Synchronization

/// Answers every request at once with a decision that echoes its tenant and items.
struct EchoHandler: WireRequestHandler {
    func handle(_ request: WireRequest, respond: @escaping @Sendable (WireResponse) -> Void) {
        respond(echo(request))
    }
}

/// The decision ``EchoHandler`` answers `request` with.
func echo(_ request: WireRequest) -> WireResponse {
    let results = request.items.map { item in
        WireItemResult(
            metric: item.metric,
            allowed: true,
            enforcement: .none,
            usage: item.amount,
            limit: nil,
            remaining: nil,
            exceeded: false,
            overage: 0,
            periodStartMs: 0,
            periodEndMs: 60_000
        )
    }
    return WireResponse(
        requestID: request.requestID,
        body: .decision(
            WireDecision(
                allowed: true,
                replayed: false,
                tenant: request.tenant,
                servedBy: "test-node",
                eventID: nil,
                retryAfterMs: nil,
                results: results
            )
        )
    )
}

/// A consume request for `tenant` with one item.
func consume(_ requestID: UInt64, tenant: String = "acme", metadata: [UInt8]? = nil) -> WireRequest {
    WireRequest(
        requestID: requestID,
        operation: .consume,
        tenant: tenant,
        items: [WireItem(metric: "api_calls", amount: 1)],
        metadata: metadata
    )
}

/// Runs `body` with a server on 127.0.0.1 and an OS-chosen port, and closes the server afterwards.
func withServer<Result>(
    handler: any WireRequestHandler = EchoHandler(),
    maximumBodyBytes: UInt32 = WireFrameDecoder.defaultMaximumBodyBytes,
    maximumOutstandingRequests: Int = WireServer.defaultMaximumOutstandingRequests,
    _ body: (_ port: Int) async throws -> Result
) async throws -> Result {
    let server = WireServer(
        group: MultiThreadedEventLoopGroup.singleton,
        handler: handler,
        maximumBodyBytes: maximumBodyBytes,
        maximumOutstandingRequests: maximumOutstandingRequests,
        logger: Logger(label: "QuotaTransportTests")
    )
    let port = try await server.start(host: "127.0.0.1", port: 0)
    do {
        let result = try await body(port)
        try await server.close()
        return result
    } catch {
        try await server.close()
        throw error
    }
}

/// Runs `body` with a ``WireClient`` connected to `port`, and closes it afterwards.
func withClient<Result>(port: Int, _ body: (WireClient) async throws -> Result) async throws -> Result {
    let client = try await WireClient.connect(
        host: "127.0.0.1",
        port: port,
        group: MultiThreadedEventLoopGroup.singleton
    )
    do {
        let result = try await body(client)
        try await client.close()
        return result
    } catch {
        try await client.close()
        throw error
    }
}

/// A plain TCP connection that sends arbitrary bytes and reads response frames, for what ``WireClient`` will not send.
final class RawConnection {
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var received = ByteBuffer()
    private var decoder = WireFrameDecoder(maximumBodyBytes: .max)

    private init(
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    ) {
        self.outbound = outbound
        self.inbound = inbound
    }

    /// Connects to `port` on 127.0.0.1 and runs `body` with the connection, closing it afterwards.
    static func with<Result>(port: Int, _ body: (RawConnection) async throws -> Result) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(RawConnection(outbound: outbound, inbound: inbound.makeAsyncIterator()))
        }
    }

    func send(_ bytes: [UInt8]) async throws {
        try await self.outbound.write(ByteBuffer(bytes: bytes))
    }

    /// The next response, or `nil` when the server closed the connection before sending one.
    func nextResponse() async throws -> WireResponse? {
        while true {
            if let frame = try self.decoder.decode(buffer: &self.received) {
                return try WireCodec.decodeResponse(frame)
            }
            guard var chunk = try await self.inbound.next() else { return nil }
            self.received.writeBuffer(&chunk)
        }
    }
}

/// The bytes of one request frame.
func bytes(of request: WireRequest) throws -> [UInt8] {
    var buffer = ByteBuffer()
    try WireCodec.encode(request, into: &buffer)
    return Array(buffer.readableBytesView)
}
