import NIOCore

/// Cuts a connection's bytes into ``RESPValue``s with ``RESPDecoder``.
struct RESPValueDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    let decoder: RESPDecoder

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let value = try self.decoder.decode(&buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(value))
        return .continue
    }
}
