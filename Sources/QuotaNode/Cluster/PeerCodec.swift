import Foundation
import NIOCore
import QuotaCluster
import QuotaWire

/// A peer message with its sender, as it travels in the body of a `peer` frame.
struct PeerEnvelope: Codable, Sendable {
    /// The sending member.
    var from: NodeID
    /// The sender's ``QuotaCluster/ClusterConfiguration/membershipFingerprint``: only heartbeats cross
    /// between members with different member lists (so that each shows the other as `other_member_list`);
    /// every other message is dropped, since its shard numbers belong to another ring.
    var members: UInt64
    /// The message.
    var message: PeerMessage
}

/// Encodes and decodes ``PeerEnvelope``s (docs/cluster.md, "Peer messages").
///
/// A body starts with a format byte. ``Format/binary``: the sender (`u16` length and UTF-8), the member-list
/// fingerprint (`u64`) and the message in binary form (``PeerBinaryTag``); the request path's messages travel
/// so. ``Format/json``: the envelope as JSON (Foundation's coders, default key strategies); the rare messages
/// (reports, snapshots, moves, gathers, anything carrying a limit) travel so, where size and speed matter less
/// than one obvious encoding of the whole domain.
enum PeerCodec {
    /// The first byte of a body.
    enum Format: UInt8 {
        case json = 1
        case binary = 2
    }

    /// The envelope as a frame body.
    ///
    /// - Throws: `EncodingError` or ``QuotaWire/WireError`` (neither expected for these types).
    static func encode(_ envelope: PeerEnvelope) throws -> ByteBuffer {
        guard let tag = PeerBinaryTag(covering: envelope.message) else {
            var body = ByteBuffer(integer: Format.json.rawValue)
            body.writeBytes(try JSONEncoder().encode(envelope))
            return body
        }
        var body = ByteBuffer()
        body.reserveCapacity(512)
        try self.writeBinary(envelope, tag: tag, into: &body)
        return body
    }

    /// Appends the envelope in binary form to `body`; `tag` is ``PeerBinaryTag/init(covering:)`` of its message.
    ///
    /// - Throws: ``QuotaWire/WireError`` (not expected: strings are bounded).
    static func writeBinary(
        _ envelope: PeerEnvelope,
        tag: PeerBinaryTag,
        into body: inout ByteBuffer
    ) throws(WireError) {
        body.writeInteger(Format.binary.rawValue)
        try body.writeWireString(envelope.from.rawValue, field: "sender")
        body.writeInteger(envelope.members)
        try body.writePeerMessage(envelope.message, tag: tag)
    }

    /// The envelope in a frame body.
    ///
    /// - Throws: ``QuotaWire/WireError`` for a malformed binary body or an unknown format, `DecodingError` for a
    ///   JSON body that is not a valid envelope.
    static func decode(_ body: ByteBuffer) throws -> PeerEnvelope {
        var rest = body
        let rawFormat = rest.readInteger(as: UInt8.self)
        switch rawFormat.flatMap(Format.init(rawValue:)) {
        case .json:
            return try JSONDecoder().decode(PeerEnvelope.self, from: Data(rest.readableBytesView))
        case .binary:
            var reader = WireBodyReader(rest)
            let rawSender = try reader.readString("sender")
            let sender = try NodeID(rawSender)
            let members = try reader.readInteger("membership fingerprint", as: UInt64.self)
            let message = try reader.readPeerMessage()
            try reader.finish()
            return PeerEnvelope(from: sender, members: members, message: message)
        case nil:
            throw WireError.malformedBody("unknown peer message format \(rawFormat.map { "\($0)" } ?? "(empty body)")")
        }
    }
}
