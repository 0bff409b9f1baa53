import NIOCore
import QuotaCore

extension WireCodec {
    /// The fewest bytes an item of a request takes: an empty metric and an amount.
    static let minimumItemBytes = 2 + 8

    /// Appends `request` as one frame of kind `request.operation.kind` to `buffer`.
    ///
    /// - Throws: ``WireError/malformedBody(_:)`` when a field does not fit (a string longer than 65 535
    ///   bytes of UTF-8, more than 65 535 items) or a status request has items. `buffer` is then unchanged.
    public static func encode(_ request: WireRequest, into buffer: inout ByteBuffer) throws(WireError) {
        guard request.operation != .status || request.items.isEmpty else {
            throw .malformedBody("a status request carries no items; got \(request.items.count)")
        }
        try self.writeFrame(kind: request.operation.kind, requestID: request.requestID, into: &buffer) {
            (body: inout ByteBuffer) throws(WireError) in
            try body.writeWireString(request.tenant, field: "tenant")
            try body.writeWireCount(request.items.count, field: "item count")
            for item in request.items {
                try body.writeWireString(item.metric, field: "item metric")
                body.writeInteger(item.amount)
            }
            try body.writeWireOptionalString(request.idempotencyKey, field: "idempotency key")
            try body.writeWireOptionalBytes(request.metadata, field: "metadata")
        }
    }

    /// Decodes the body of a request frame.
    ///
    /// - Returns: The request, with the frame's request id.
    /// - Throws: ``WireError/malformedBody(_:)`` when the frame is of a response kind or of kind
    ///   ``WireFrameKind/peer`` (not an operation; see ``decodePeerFrame(_:)``), the body is too short
    ///   for a field, a string is not valid UTF-8, the item count is more than the body can hold, or a status
    ///   request has items; ``WireError/trailingBytes(_:)`` when bytes follow the last field.
    public static func decodeRequest(_ frame: WireFrame) throws(WireError) -> WireRequest {
        guard let operation = frame.header.kind.operation else {
            throw .malformedBody("a \(frame.header.kind) frame is not a request")
        }
        var reader = WireBodyReader(frame.body)
        let tenant = try reader.readString("tenant")
        let count = try reader.readCount("item count", minimumElementBytes: self.minimumItemBytes)
        guard operation != .status || count == 0 else {
            throw .malformedBody("a status request carries no items; got \(count)")
        }
        var items = SmallArray<WireItem>()
        items.reserveCapacity(count)
        for _ in 0..<count {
            let metric = try reader.readString("item metric")
            let amount = try reader.readInteger("item amount", as: Int64.self)
            items.append(WireItem(metric: metric, amount: amount))
        }
        let idempotencyKey = try reader.readOptionalString("idempotency key")
        let metadata = try reader.readOptionalBytes("metadata")
        try reader.finish()
        return WireRequest(
            requestID: frame.header.requestID,
            operation: operation,
            tenant: tenant,
            items: items,
            idempotencyKey: idempotencyKey,
            metadata: metadata
        )
    }
}
