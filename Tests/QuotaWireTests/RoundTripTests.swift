import NIOCore
import QuotaCore
import QuotaWire
import Testing

@Suite struct RoundTripTests {
    static let longest = String(repeating: "é", count: Int(UInt16.max) / 2) + "x"  // 65 535 bytes of UTF-8

    static let requests: [Named<WireRequest>] = [
        Named("golden consume", Fixtures.consume),
        Named("consume without items", WireRequest(requestID: 1, operation: .consume, tenant: "t", items: [])),
        Named(
            "check with extreme amounts",
            WireRequest(
                requestID: 2,
                operation: .check,
                tenant: "tenant-🙂",
                items: [
                    WireItem(metric: "api_calls", amount: .max),
                    WireItem(metric: "storage_bytes", amount: .min),
                    WireItem(metric: "", amount: -1),
                ]
            )
        ),
        Named(
            "release with empty tenant",
            WireRequest(requestID: .max, operation: .release, tenant: "", items: [WireItem(metric: "gauge", amount: 0)])
        ),
        Named("status", WireRequest(requestID: 0, operation: .status, tenant: "acme", items: [])),
        Named(
            "longest strings",
            WireRequest(
                requestID: 3,
                operation: .consume,
                tenant: RoundTripTests.longest,
                items: [WireItem(metric: RoundTripTests.longest, amount: 1)],
                idempotencyKey: RoundTripTests.longest,
                metadata: [UInt8](repeating: 0x7B, count: 70_000)
            )
        ),
    ]

    static let extremeResult = WireItemResult(
        metric: "storage_bytes",
        allowed: false,
        enforcement: .soft,
        usage: .min,
        limit: .max,
        remaining: 0,
        exceeded: true,
        overage: .max,
        periodStartMs: .min,
        periodEndMs: .max
    )

    static let unlimitedResult = WireItemResult(
        metric: "products",
        allowed: true,
        enforcement: .none,
        usage: 12,
        limit: nil,
        remaining: nil,
        exceeded: false,
        overage: 0,
        periodStartMs: 0,
        periodEndMs: 86_400_000
    )

    static let responses: [Named<WireResponse>] = [
        Named("golden decision", Fixtures.decision),
        Named(
            "denied replayed decision with extreme values",
            WireResponse(
                requestID: 9,
                body: .decision(
                    WireDecision(
                        allowed: false,
                        replayed: true,
                        tenant: "acme",
                        servedBy: "node-2",
                        eventID: nil,
                        retryAfterMs: 0,
                        results: [RoundTripTests.extremeResult, RoundTripTests.unlimitedResult]
                    )
                )
            )
        ),
        Named(
            "decision without results",
            WireResponse(
                requestID: 10,
                body: .decision(
                    WireDecision(
                        allowed: true,
                        replayed: false,
                        tenant: "",
                        servedBy: "",
                        eventID: nil,
                        retryAfterMs: .max,
                        results: []
                    )
                )
            )
        ),
        Named(
            "status",
            WireResponse(
                requestID: 11,
                body: .status(
                    WireStatus(
                        tenant: "acme",
                        servedBy: "node-1",
                        results: [RoundTripTests.unlimitedResult, Fixtures.result]
                    )
                )
            )
        ),
        Named(
            "status with the longest tenant",
            WireResponse(
                requestID: 12,
                body: .status(WireStatus(tenant: RoundTripTests.longest, servedBy: "n", results: []))
            )
        ),
        Named(
            "connection-level error",
            WireResponse(requestID: 0, body: .error(code: "bad_frame", message: "bad magic"))
        ),
        Named(
            "error with the longest message",
            WireResponse(requestID: .max, body: .error(code: "", message: RoundTripTests.longest))
        ),
    ]

    @Test(arguments: RoundTripTests.requests)
    func requestRoundTrips(_ named: Named<WireRequest>) throws {
        let request = named.value
        let outcome = decodeStream(try encoded(request), maximumBodyBytes: .max)
        #expect(outcome.error == nil)
        #expect(outcome.frames.count == 1)
        let frame = try #require(outcome.frames.first)
        #expect(frame.header.kind == request.operation.kind)
        #expect(try WireCodec.decodeRequest(frame) == request)
    }

    @Test(arguments: RoundTripTests.responses)
    func responseRoundTrips(_ named: Named<WireResponse>) throws {
        let response = named.value
        let outcome = decodeStream(try encoded(response), maximumBodyBytes: .max)
        #expect(outcome.error == nil)
        #expect(outcome.frames.count == 1)
        let frame = try #require(outcome.frames.first)
        #expect(frame.header.kind == response.body.kind)
        #expect(try WireCodec.decodeResponse(frame) == response)
    }

    @Test func emptyOptionalsTravelAsNone() throws {
        var request = Fixtures.consume
        request.idempotencyKey = ""
        request.metadata = []
        let frame = try #require(decodeStream(try encoded(request)).frames.first)
        let decoded = try WireCodec.decodeRequest(frame)
        #expect(decoded.idempotencyKey == nil)
        #expect(decoded.metadata == nil)
    }

    @Test func manyFramesInOneStreamComeOutInOrder() throws {
        var bytes: [UInt8] = []
        let requests = Self.requests.prefix(5).map(\.value)
        let responses = Self.responses.prefix(4).map(\.value)
        for request in requests { bytes += try encoded(request) }
        for response in responses { bytes += try encoded(response) }
        let outcome = decodeStream(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.frames.count == 9)
        #expect(
            try outcome.frames.prefix(5).map { frame throws(WireError) in try WireCodec.decodeRequest(frame) }
                == requests
        )
        #expect(
            try outcome.frames.suffix(4).map { frame throws(WireError) in try WireCodec.decodeResponse(frame) }
                == responses
        )
    }
}
