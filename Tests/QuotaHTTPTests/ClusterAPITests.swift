import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct ClusterAPITests {
    @Test func aSingleNodeIsAClusterOfOneThatOwnsEveryShard() async throws {
        try await withAPI { client, _ in
            let view = try await client.send(.get, "/v1/cluster").json
            let summary = view["summary"] as? [String: Any]
            #expect(summary?["shards"] as? Int == summary?["owned"] as? Int)
            #expect((view["members"] as? [[String: Any]])?.count == 1)
            let placement = try await client.send(.get, "/v1/cluster?tenant=acme").json
            #expect((placement["shard"] as? [String: Any])?["role"] as? String == "owner")
        }
    }

    @Test(arguments: ["n9", "n1", "bad id"])
    func isolationOnlyTakesAnotherMember(_ peer: String) async throws {
        try await withAPI { client, _ in
            let path = "/v1/admin/isolation/" + peer.replacingOccurrences(of: " ", with: "%20")
            let response = try await client.send(.put, path)
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "invalid_argument")
            let list = try await client.send(.get, "/v1/admin/isolation").json
            #expect((list["isolated"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func placementOfAnInvalidTenantIsRefused() async throws {
        try await withAPI { client, _ in
            let response = try await client.send(.get, "/v1/cluster?tenant=")
            #expect(response.status == .badRequest)
        }
    }
}
