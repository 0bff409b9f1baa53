import NIOCore

extension WireCodec {
    /// The fewest bytes an item result takes: an empty metric and the fixed-size fields.
    static let minimumItemResultBytes = 2 + 1 + 1 + 8 + 8 + 8 + 1 + 8 + 8 + 8

    /// Appends `response` as one frame of kind `response.body.kind` to `buffer`.
    ///
    /// - Throws: ``WireError/malformedBody(_:)`` when a field does not fit: a string longer than 65 535 bytes
    ///   of UTF-8, more than 65 535 results, or a negative `retryAfterMs`, `limit` or `remaining`.
    ///   `buffer` is then unchanged.
    public static func encode(_ response: WireResponse, into buffer: inout ByteBuffer) throws(WireError) {
        try self.writeFrame(kind: response.body.kind, requestID: response.requestID, into: &buffer) {
            (body: inout ByteBuffer) throws(WireError) in
            switch response.body {
            case .decision(let decision):
                body.writeWireFlag(decision.allowed)
                body.writeWireFlag(decision.replayed)
                try body.writeWireString(decision.tenant, field: "tenant")
                try body.writeWireString(decision.servedBy, field: "servedBy")
                try body.writeWireOptionalString(decision.eventID, field: "eventID")
                try body.writeWireOptionalNonNegative(decision.retryAfterMs, field: "retryAfterMs")
                try self.write(decision.results, into: &body)
            case .status(let status):
                try body.writeWireString(status.tenant, field: "tenant")
                try body.writeWireString(status.servedBy, field: "servedBy")
                try self.write(status.results, into: &body)
            case .error(let code, let message):
                try body.writeWireString(code, field: "error code")
                try body.writeWireString(message, field: "error message")
            }
        }
    }

    /// Decodes the body of a response frame.
    ///
    /// - Returns: The response, with the frame's request id.
    /// - Throws: ``WireError/malformedBody(_:)`` when the frame is of a request kind (``WireFrameKind/peer``
    ///   included), the body is too short for a field, a string is not valid UTF-8, a flag is not 0 or 1, an
    ///   enforcement byte is unknown, an optional number is below -1, or the result count is more than the body
    ///   can hold; ``WireError/trailingBytes(_:)`` when bytes follow the last field.
    public static func decodeResponse(_ frame: WireFrame) throws(WireError) -> WireResponse {
        var reader = WireBodyReader(frame.body)
        let body: WireResponse.Body
        switch frame.header.kind {
        case .decision:
            let allowed = try reader.readFlag("allowed")
            let replayed = try reader.readFlag("replayed")
            let tenant = try reader.readString("tenant")
            let servedBy = try reader.readString("servedBy")
            let eventID = try reader.readOptionalString("eventID")
            let retryAfterMs = try reader.readOptionalNonNegative("retryAfterMs")
            let results = try self.readResults(&reader)
            body = .decision(
                WireDecision(
                    allowed: allowed,
                    replayed: replayed,
                    tenant: tenant,
                    servedBy: servedBy,
                    eventID: eventID,
                    retryAfterMs: retryAfterMs,
                    results: results
                )
            )
        case .statusResponse:
            let tenant = try reader.readString("tenant")
            let servedBy = try reader.readString("servedBy")
            let results = try self.readResults(&reader)
            body = .status(WireStatus(tenant: tenant, servedBy: servedBy, results: results))
        case .error:
            let code = try reader.readString("error code")
            let message = try reader.readString("error message")
            body = .error(code: code, message: message)
        case .consume, .check, .release, .status, .peer:
            throw .malformedBody("a \(frame.header.kind) frame is a request, not a response")
        }
        try reader.finish()
        return WireResponse(requestID: frame.header.requestID, body: body)
    }

    private static func write(_ results: [WireItemResult], into body: inout ByteBuffer) throws(WireError) {
        try body.writeWireCount(results.count, field: "result count")
        for result in results {
            try body.writeWireString(result.metric, field: "result metric")
            body.writeWireFlag(result.allowed)
            body.writeInteger(result.enforcement.rawValue)
            body.writeInteger(result.usage)
            try body.writeWireOptionalNonNegative(result.limit, field: "result limit")
            try body.writeWireOptionalNonNegative(result.remaining, field: "result remaining")
            body.writeWireFlag(result.exceeded)
            body.writeInteger(result.overage)
            body.writeInteger(result.periodStartMs)
            body.writeInteger(result.periodEndMs)
        }
    }

    private static func readResults(_ reader: inout WireBodyReader) throws(WireError) -> [WireItemResult] {
        let count = try reader.readCount("result count", minimumElementBytes: self.minimumItemResultBytes)
        var results: [WireItemResult] = []
        results.reserveCapacity(count)
        for _ in 0..<count {
            let metric = try reader.readString("result metric")
            let allowed = try reader.readFlag("result allowed")
            let enforcementByte = try reader.readInteger("result enforcement", as: UInt8.self)
            guard let enforcement = WireEnforcement(rawValue: enforcementByte) else {
                throw .malformedBody("result enforcement must be 0, 1 or 2, got \(enforcementByte)")
            }
            let usage = try reader.readInteger("result usage", as: Int64.self)
            let limit = try reader.readOptionalNonNegative("result limit")
            let remaining = try reader.readOptionalNonNegative("result remaining")
            let exceeded = try reader.readFlag("result exceeded")
            let overage = try reader.readInteger("result overage", as: Int64.self)
            let periodStartMs = try reader.readInteger("result periodStartMs", as: Int64.self)
            let periodEndMs = try reader.readInteger("result periodEndMs", as: Int64.self)
            results.append(
                WireItemResult(
                    metric: metric,
                    allowed: allowed,
                    enforcement: enforcement,
                    usage: usage,
                    limit: limit,
                    remaining: remaining,
                    exceeded: exceeded,
                    overage: overage,
                    periodStartMs: periodStartMs,
                    periodEndMs: periodEndMs
                )
            )
        }
        return results
    }
}
