import NIOCore
import QuotaWire
import Testing

@Suite struct BodyDecodingTests {
    static func isMalformed(_ error: WireError?) -> Bool {
        if case .malformedBody = error { true } else { false }
    }

    static func body(of bytes: [UInt8]) -> [UInt8] {
        Array(bytes.dropFirst(WireFrameHeader.size))
    }

    @Test func invalidUTF8IsRefused() {
        // tenant: length 2, bytes 0xC3 0x28 (a lead byte followed by a non-continuation byte)
        let body: [UInt8] = [0x00, 0x02, 0xC3, 0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        let error = #expect(throws: WireError.self) { try WireCodec.decodeRequest(frame(.consume, body: body)) }
        #expect(error == .malformedBody("tenant is not valid UTF-8"))
    }

    @Test(
        "invalid UTF-8 after ASCII bytes, overlong, a lone continuation byte, a cut sequence: refused",
        arguments: [
            [0x61, 0x62, 0xFF] as [UInt8], [0xC0, 0xAF], [0x61, 0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80],
        ]
    )
    func invalidUTF8KindsAreRefused(tenant: [UInt8]) {
        let body: [UInt8] = [0x00, UInt8(tenant.count)] + tenant + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        let error = #expect(throws: WireError.self) { try WireCodec.decodeRequest(frame(.consume, body: body)) }
        #expect(error == .malformedBody("tenant is not valid UTF-8"))
    }

    @Test func validMultibyteUTF8IsDecoded() throws {
        let tenant = "café-ü-日本"
        let bytes = Array(tenant.utf8)
        let body: [UInt8] = [0x00, UInt8(bytes.count)] + bytes + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        #expect(try WireCodec.decodeRequest(frame(.status, body: body)).tenant == tenant)
    }

    @Test func trailingBytesAreRefused() throws {
        let request = Self.body(of: try encoded(Fixtures.consume)) + [0xAB, 0xCD]
        #expect(throws: WireError.trailingBytes(2)) { try WireCodec.decodeRequest(frame(.consume, body: request)) }
        let response = Self.body(of: try encoded(Fixtures.decision)) + [0x00]
        #expect(throws: WireError.trailingBytes(1)) { try WireCodec.decodeResponse(frame(.decision, body: response)) }
    }

    @Test func aCountLargerThanTheBodyCanHoldIsRefusedBeforeAllocating() {
        // tenant "", item count 65 535, and nothing else.
        let request: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]
        let requestError = #expect(throws: WireError.self) {
            try WireCodec.decodeRequest(frame(.consume, body: request))
        }
        #expect(requestError == .malformedBody("item count 65535 needs at least 655350 bytes but only 0 remain"))
        // tenant "", servedBy "", result count 65 535, and nothing else.
        let status: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF]
        let statusError = #expect(throws: WireError.self) {
            try WireCodec.decodeResponse(frame(.statusResponse, body: status))
        }
        #expect(Self.isMalformed(statusError))
    }

    @Test func everyTruncatedBodyIsMalformed() throws {
        let request = Self.body(of: try encoded(Fixtures.consume))
        for length in 0..<request.count {
            let error = #expect(throws: WireError.self) {
                try WireCodec.decodeRequest(frame(.consume, body: Array(request.prefix(length))))
            }
            #expect(Self.isMalformed(error))
        }
        let response = Self.body(of: try encoded(Fixtures.decision))
        for length in 0..<response.count {
            let error = #expect(throws: WireError.self) {
                try WireCodec.decodeResponse(frame(.decision, body: Array(response.prefix(length))))
            }
            #expect(Self.isMalformed(error))
        }
    }

    @Test func aResponseKindIsNotARequestAndViceVersa() throws {
        let request = Self.body(of: try encoded(Fixtures.consume))
        let asRequest = #expect(throws: WireError.self) { try WireCodec.decodeRequest(frame(.decision, body: request)) }
        #expect(Self.isMalformed(asRequest))
        let response = Self.body(of: try encoded(Fixtures.decision))
        let asResponse = #expect(throws: WireError.self) { try WireCodec.decodeResponse(frame(.check, body: response)) }
        #expect(Self.isMalformed(asResponse))
    }

    @Test func aStatusRequestWithItemsIsRefused() throws {
        let body = Self.body(of: try encoded(Fixtures.consume))
        let error = #expect(throws: WireError.self) { try WireCodec.decodeRequest(frame(.status, body: body)) }
        #expect(error == .malformedBody("a status request carries no items; got 1"))
    }

    /// Offsets into the body of `Fixtures.decision`: allowed 0, replayed 1, tenant 2, servedBy 8, eventID 12,
    /// retryAfterMs 16, result count 24, then the result: metric 26, allowed 37, enforcement 38, usage 39,
    /// limit 47, remaining 55, exceeded 63, overage 64, periodStartMs 72, periodEndMs 80; 88 bytes in all.
    @Test(arguments: [
        (0, [2] as [UInt8]),  // allowed is neither 0 nor 1
        (16, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE]),  // retryAfterMs is -2
        (37, [7]),  // result allowed is neither 0 nor 1
        (38, [3]),  // enforcement is not 0, 1 or 2
        (55, [0x80, 0, 0, 0, 0, 0, 0, 0]),  // remaining is Int64.min
        (63, [0xFF]),  // exceeded is neither 0 nor 1
    ])
    func outOfRangeValuesInADecisionAreRefused(offset: Int, replacement: [UInt8]) throws {
        var body = Self.body(of: try encoded(Fixtures.decision))
        #expect(body.count == 88)
        body.replaceSubrange(offset..<offset + replacement.count, with: replacement)
        let error = #expect(throws: WireError.self) { try WireCodec.decodeResponse(frame(.decision, body: body)) }
        #expect(Self.isMalformed(error))
    }
}
