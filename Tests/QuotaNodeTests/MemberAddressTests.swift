import QuotaCluster
import QuotaCore
import QuotaNode
import Testing

@Suite("Member addresses and cluster settings")
struct MemberAddressTests {
    @Test("a peer list parses, blanks ignored")
    func parses() throws {
        let members = try MemberAddress.parseList(" n1=127.0.0.1:7071, n2=localhost:7072 ,n3=10.0.0.3:7073")
        #expect(members.map(\.description) == ["n1=127.0.0.1:7071", "n2=localhost:7072", "n3=10.0.0.3:7073"])
    }

    @Test(
        "bad entries are refused with a clear error",
        arguments: [
            "", "n1", "n1=127.0.0.1", "n1=127.0.0.1:x", "n1=127.0.0.1:0", "n1=127.0.0.1:70000", "=h:1", "n 1=h:1",
            "n1=:7071",
        ]
    )
    func refused(_ text: String) {
        #expect(throws: QuotaError.self) { try MemberAddress.parseList(text) }
    }

    @Test("a node must be in its own peer list, and a member may appear once")
    func configurationChecksMembers() throws {
        let members = try MemberAddress.parseList("n1=127.0.0.1:7071,n2=127.0.0.1:7072")
        #expect(throws: QuotaError.self) { try NodeConfiguration(nodeID: "n3", members: members) }
        let twice = try MemberAddress.parseList("n1=127.0.0.1:7071,n1=127.0.0.1:7072")
        let listedTwice = QuotaError.invalidArgument("member 'n1' is listed more than once in the peer list")
        #expect(throws: listedTwice) { try NodeConfiguration(nodeID: "n1", members: twice) }
        #expect(throws: listedTwice) { try MemberAddress.checkDistinct(twice) }
        #expect(throws: Never.self) { try MemberAddress.checkDistinct(members) }
        let shared = try MemberAddress.parseList("n1=127.0.0.1:7071,n2=127.0.0.1:7072,n3=127.0.0.1:7071")
        #expect(throws: QuotaError.invalidArgument("members 'n1' and 'n3' share the address 127.0.0.1:7071")) {
            try MemberAddress.checkDistinctAddresses(shared)
        }
        #expect(throws: Never.self) { try MemberAddress.checkDistinctAddresses(members) }
        let valid = try NodeConfiguration(nodeID: "n2", members: members)
        #expect(try valid.clusterConfiguration().peers.map(\.rawValue) == ["n1"])
    }
}
