import NIOCore
import QuotaCore
import QuotaWire
import Testing

/// Values that do not fit their fields are refused at encoding, and leave the buffer as it was.
@Suite struct EncodingErrorTests {
    static let tooLong = String(repeating: "a", count: Int(UInt16.max) + 1)

    func expectRefused(_ request: WireRequest) {
        var buffer = ByteBuffer(bytes: [1, 2, 3])
        let error = #expect(throws: WireError.self) { try WireCodec.encode(request, into: &buffer) }
        #expect(error.map { if case .malformedBody = $0 { true } else { false } } == true)
        #expect(buffer == ByteBuffer(bytes: [1, 2, 3]))
    }

    func expectRefused(_ response: WireResponse) {
        var buffer = ByteBuffer(bytes: [1, 2, 3])
        let error = #expect(throws: WireError.self) { try WireCodec.encode(response, into: &buffer) }
        #expect(error.map { if case .malformedBody = $0 { true } else { false } } == true)
        #expect(buffer == ByteBuffer(bytes: [1, 2, 3]))
    }

    @Test func stringsLongerThan65535BytesAreRefused() {
        self.expectRefused(WireRequest(requestID: 1, operation: .consume, tenant: Self.tooLong, items: []))
        self.expectRefused(
            WireRequest(requestID: 1, operation: .consume, tenant: "t", items: [], idempotencyKey: Self.tooLong)
        )
        self.expectRefused(WireResponse(requestID: 1, body: .error(code: "internal", message: Self.tooLong)))
    }

    @Test func moreThan65535ItemsAreRefused() {
        let items = [WireItem](repeating: WireItem(metric: "m", amount: 1), count: Int(UInt16.max) + 1)
        self.expectRefused(WireRequest(requestID: 1, operation: .consume, tenant: "t", items: SmallArray(items)))
    }

    @Test func statusRequestWithItemsIsRefused() {
        self.expectRefused(
            WireRequest(requestID: 1, operation: .status, tenant: "t", items: [WireItem(metric: "m", amount: 1)])
        )
    }

    @Test func negativeOptionalNumbersAreRefused() {
        var result = Fixtures.result
        result.remaining = -5
        self.expectRefused(
            WireResponse(requestID: 1, body: .status(WireStatus(tenant: "t", servedBy: "n", results: [result])))
        )
        self.expectRefused(
            WireResponse(
                requestID: 1,
                body: .decision(
                    WireDecision(
                        allowed: false,
                        replayed: false,
                        tenant: "t",
                        servedBy: "n",
                        eventID: nil,
                        retryAfterMs: -1,
                        results: []
                    )
                )
            )
        )
    }
}
