import ArgumentParser

/// `quotactl`: the operator and client command line for a quotad cluster, over a node's HTTP/JSON API.
@main
struct QuotactlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotactl",
        abstract: "Manage limits and meter usage on a quotad cluster through any node's HTTP API.",
        discussion: """
            Every command talks to one node (--url, or $QUOTACTL_URL); the node forwards to the tenant's owner. \
            reconcile can ask several (--nodes).

            Exit status: 0 on success, 2 when a consume, check or release is denied, 3 when reconcile found \
            problems, 1 on any error (the node's answer "error: <code>: <message>", or an unreachable node), \
            64 for a command-line usage error.
            """,
        subcommands: [
            LimitsCommand.self, ConsumeCommand.self, CheckCommand.self, ReleaseCommand.self, StatusCommand.self,
            EventsCommand.self, RecordsCommand.self, HealthCommand.self, ClusterCommand.self, ReconcileCommand.self,
        ]
    )

    /// Runs the command line, printing ``QuotactlError``s as `error: …` and exiting with status 1.
    ///
    /// Parse errors, help and `ExitCode`s keep ArgumentParser's handling.
    static func main() async {
        do {
            var command = try await Self.asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as QuotactlError {
            Terminal.printError("error: \(error)")
            Self.exit(withError: ExitCode.failure)
        } catch {
            Self.exit(withError: error)
        }
    }
}
