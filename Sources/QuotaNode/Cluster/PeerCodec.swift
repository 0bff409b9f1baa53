import Foundation
import NIOCore
import QuotaCluster

/// A peer message with its sender, as it travels in the body of a `peer` frame: JSON (Foundation's coders,
/// default key strategies).
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

/// Encodes and decodes ``PeerEnvelope``s.
enum PeerCodec {
    /// The envelope as a frame body.
    ///
    /// - Throws: `EncodingError` (not expected for these types).
    static func encode(_ envelope: PeerEnvelope) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONEncoder().encode(envelope))
    }

    /// The envelope in a frame body.
    ///
    /// - Throws: `DecodingError` for a body that is not a valid envelope.
    static func decode(_ body: ByteBuffer) throws -> PeerEnvelope {
        try JSONDecoder().decode(PeerEnvelope.self, from: Data(body.readableBytesView))
    }
}
