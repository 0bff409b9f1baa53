import NIOCore

extension WireCodec {
    /// The fewest bytes an item result takes: an empty metric and the fixed-size fields.
    static let minimumItemResultBytes = 2 + 1 + 1 + 8 + 8 + 8 + 1 + 8 + 8 + 8

    /// Appends `response` as one frame of kind `response.body.kind` to `buffer`.
    ///
    /// The frame is measured and checked first (``encodedSize(of:)``), then written in one reservation.
    ///
    /// - Throws: ``WireError/malformedBody(_:)`` when a field does not fit: a string longer than 65 535 bytes
    ///   of UTF-8, more than 65 535 results, or a negative `retryAfterMs`, `limit` or `remaining`.
    ///   `buffer` is then unchanged.
    public static func encode(_ response: WireResponse, into buffer: inout ByteBuffer) throws(WireError) {
        let size = try self.encodedSize(of: response)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { bytes in
            var writer = WireFrameWriter(bytes)
            let header = WireFrameHeader(
                kind: response.body.kind,
                requestID: response.requestID,
                bodyLength: UInt32(size - WireFrameHeader.size)
            )
            writer.writeHeader(header)
            switch response.body {
            case .decision(let decision):
                writer.writeFlag(decision.allowed)
                writer.writeFlag(decision.replayed)
                writer.writeString(decision.tenant)
                writer.writeString(decision.servedBy)
                writer.writeString(decision.eventID ?? "")
                writer.writeOptionalNonNegative(decision.retryAfterMs)
                self.write(decision.results, into: &writer)
            case .status(let status):
                writer.writeString(status.tenant)
                writer.writeString(status.servedBy)
                self.write(status.results, into: &writer)
            case .error(let code, let message):
                writer.writeString(code)
                writer.writeString(message)
            }
            precondition(writer.offset == size, "a response frame of \(writer.offset) bytes was measured as \(size)")
            return size
        }
    }

    /// The bytes `response` takes as a frame, header included.
    ///
    /// - Throws: As ``encode(_:into:)``, for the first field that does not fit.
    static func encodedSize(of response: WireResponse) throws(WireError) -> Int {
        var size = WireFrameHeader.size
        switch response.body {
        case .decision(let decision):
            size += 2
            size += try self.measure(decision.tenant, field: "tenant")
            size += try self.measure(decision.servedBy, field: "servedBy")
            size += try self.measure(decision.eventID ?? "", field: "eventID")
            size += try self.measure(nonNegative: decision.retryAfterMs, field: "retryAfterMs")
            size += try self.measure(decision.results)
        case .status(let status):
            size += try self.measure(status.tenant, field: "tenant")
            size += try self.measure(status.servedBy, field: "servedBy")
            size += try self.measure(status.results)
        case .error(let code, let message):
            size += try self.measure(code, field: "error code")
            size += try self.measure(message, field: "error message")
        }
        guard size - WireFrameHeader.size <= UInt32.max else {
            throw .malformedBody("body is \(size - WireFrameHeader.size) bytes; at most \(UInt32.max) fit")
        }
        return size
    }

    private static func measure(_ string: String, field: String) throws(WireError) -> Int {
        2 + (try WireFieldCheck.stringLength(string, field: field))
    }

    private static func measure(nonNegative value: Int64?, field: String) throws(WireError) -> Int {
        try WireFieldCheck.nonNegative(value, field: field)
        return 8
    }

    private static func measure(_ results: [WireItemResult]) throws(WireError) -> Int {
        try WireFieldCheck.count(results.count, field: "result count")
        var size = 2
        for result in results {
            size += try self.measure(result.metric, field: "result metric")
            size += try self.measure(nonNegative: result.limit, field: "result limit")
            size += try self.measure(nonNegative: result.remaining, field: "result remaining")
            size += self.minimumItemResultBytes - 2 - 8 - 8
        }
        return size
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

    private static func write(_ results: [WireItemResult], into writer: inout WireFrameWriter) {
        writer.write(UInt16(results.count))
        for result in results {
            writer.writeString(result.metric)
            writer.writeFlag(result.allowed)
            writer.write(result.enforcement.rawValue)
            writer.write(result.usage)
            writer.writeOptionalNonNegative(result.limit)
            writer.writeOptionalNonNegative(result.remaining)
            writer.writeFlag(result.exceeded)
            writer.write(result.overage)
            writer.write(result.periodStartMs)
            writer.write(result.periodEndMs)
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
