import QuotaCluster
import QuotaCore

/// A cluster member and the address of its binary-protocol listener, which peers also use.
public struct MemberAddress: Hashable, Sendable, CustomStringConvertible {
    /// The member's id.
    public let id: NodeID
    /// Host name or IP address.
    public let host: String
    /// TCP port, 1…65535.
    public let port: Int

    /// Creates an address.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument`` for an empty host or a port outside 1…65535.
    public init(id: NodeID, host: String, port: Int) throws {
        guard !host.isEmpty, !host.contains(where: { $0 == "," || $0 == "=" || $0 == " " }) else {
            throw QuotaError.invalidArgument("member '\(id)' has an invalid host '\(host)'")
        }
        guard (1...65535).contains(port) else {
            throw QuotaError.invalidArgument("member '\(id)' has port \(port); ports are 1…65535")
        }
        self.id = id
        self.host = host
        self.port = port
    }

    /// Parses `id=host:port`.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument`` when the text has another shape, or the id,
    ///   host or port is invalid.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let colon = parts[1].lastIndex(of: ":") else {
            throw QuotaError.invalidArgument("peer '\(text)' must look like id=host:port")
        }
        let host = String(parts[1][..<colon])
        guard let port = Int(parts[1][parts[1].index(after: colon)...]) else {
            throw QuotaError.invalidArgument("peer '\(text)' has no numeric port")
        }
        try self.init(id: try NodeID(String(parts[0])), host: host, port: port)
    }

    /// Parses a comma-separated list (`n1=127.0.0.1:7071,n2=127.0.0.1:7072`); blanks around entries are ignored.
    ///
    /// - Throws: as ``init(parsing:)`` for any entry, and ``QuotaCore/QuotaError/Code/invalidArgument`` for an
    ///   empty list.
    public static func parseList(_ text: String) throws -> [MemberAddress] {
        let entries = text.split(separator: ",").map { $0.trimmingCharacters(in: " \t\n") }.filter { !$0.isEmpty }
        guard !entries.isEmpty else { throw QuotaError.invalidArgument("the peer list is empty") }
        return try entries.map(MemberAddress.init(parsing:))
    }

    /// Refuses a member list that names a member more than once.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument`` naming the first member listed again.
    public static func checkDistinct(_ members: [MemberAddress]) throws {
        var listed: Set<NodeID> = []
        if let repeated = members.first(where: { !listed.insert($0.id).inserted }) {
            throw QuotaError.invalidArgument("member '\(repeated.id)' is listed more than once in the peer list")
        }
    }

    /// Refuses a member list in which two members share an address (`host:port` as written): peers could not tell
    /// them apart.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument`` naming the first two members that share one.
    public static func checkDistinctAddresses(_ members: [MemberAddress]) throws {
        var owners: [String: MemberAddress] = [:]
        for member in members {
            let address = "\(member.host):\(member.port)"
            if let first = owners[address] {
                throw QuotaError.invalidArgument(
                    "members '\(first.id)' and '\(member.id)' share the address \(address)"
                )
            }
            owners[address] = member
        }
    }

    public var description: String { "\(self.id)=\(self.host):\(self.port)" }
}

extension Substring {
    fileprivate func trimmingCharacters(in blanks: String) -> String {
        var text = self
        while let first = text.first, blanks.contains(first) { text = text.dropFirst() }
        while let last = text.last, blanks.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
