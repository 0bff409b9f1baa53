import ArgumentParser
import NIOHTTP1

/// `quotactl cluster status`: the cluster as one node sees it.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Inspect the cluster through one node.",
        subcommands: [ClusterStatusCommand.self]
    )
}

/// `quotactl cluster status`: the members, their leases and the shard counts, from `GET /v1/cluster`.
struct ClusterStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the node's view of the cluster: members, leases and shards.",
        discussion: """
            Prints one row per member (STATE is self, alive, suspected or unknown; LAST HEARD and LEASE are the \
            node's own measures), then a line with the number of shards, how many this node owns, follows and is \
            moving, the highest epoch and the shards per owner. With --json, prints the node's whole answer, \
            every shard included.
            """
    )

    @OptionGroup
    var options: GlobalOptions

    func run() async throws {
        let client = try self.options.makeClient()
        let response = try await client.send(.GET, ["v1", "cluster"])
        try client.present(response, as: Answers.Cluster.self, json: self.options.json, human: HumanOutput.cluster)
    }
}
