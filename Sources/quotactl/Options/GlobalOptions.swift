import ArgumentParser
import Foundation

/// The options every command that talks to a node accepts: where the node is, how to print, how long to wait.
struct GlobalOptions: ParsableArguments {
    /// The URL used when neither `--url` nor a non-empty `QUOTACTL_URL` is given.
    static let defaultURL = "http://127.0.0.1:8080"

    @Option(
        help: ArgumentHelp(
            "Base URL of a quotad node's HTTP API, http:// only; $QUOTACTL_URL when not given.",
            valueName: "url"
        )
    )
    var url: String = Self.environmentURL()

    @Flag(help: "Print the node's JSON answer, pretty-printed with sorted keys, instead of a table.")
    var json = false

    @Option(help: ArgumentHelp("Seconds to wait for the whole request, connecting included.", valueName: "seconds"))
    var timeout: Double = 10

    func validate() throws {
        _ = try NodeURL(parsing: self.url)
        guard self.timeout > 0, self.timeout <= 3600 else {
            throw ValidationError("--timeout must be more than 0 and at most 3600 seconds, got \(self.timeout).")
        }
    }

    /// A client for the node these options name.
    func makeClient() throws -> NodeClient {
        NodeClient(node: try NodeURL(parsing: self.url), timeoutSeconds: self.timeout)
    }

    private static func environmentURL() -> String {
        guard let value = ProcessInfo.processInfo.environment["QUOTACTL_URL"], !value.isEmpty else {
            return Self.defaultURL
        }
        return value
    }
}
