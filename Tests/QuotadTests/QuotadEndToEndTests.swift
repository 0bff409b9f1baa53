import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The issue's acceptance checks against the real `quotad` binary, restarted on the same data directory.
@Suite(.timeLimit(.minutes(3))) struct QuotadEndToEndTests {
    @Test func hardSoftAndNoneLimitsBehaveAsDocumented() async throws {
        let node = try await QuotadProcess(dataDirectory: try QuotadProcess.makeDataDirectory())
        try await node.withHTTP { client in
            // A minute can roll over during a slow run; then the attempt is repeated with a fresh tenant.
            var attempt = 0
            while true {
                attempt += 1
                let tenant = "acme-\(attempt)"
                _ = try await client.send(
                    .put,
                    "/v1/tenants/\(tenant)/limits/api_calls",
                    #"{"limit": 100, "period": "minute", "enforcement": "hard"}"#
                )
                var admitted = 0
                var periods = Set<String>()
                var last: TestClient.Response?
                for _ in 0..<101 {
                    let response = try await client.send(
                        .post,
                        "/v1/tenants/\(tenant)/consume",
                        #"{"metric": "api_calls", "amount": 1}"#
                    )
                    if response.status == .ok { admitted += 1 }
                    periods.insert(
                        (response.json["results"] as? [[String: Any]])?.first?["period_start"] as? String ?? ""
                    )
                    last = response
                }
                guard periods.count == 1 || attempt == 3 else { continue }
                #expect(periods.count == 1, "every attempt crossed a minute boundary")
                #expect(admitted == 100)
                let denied = try #require(last)
                #expect(denied.status == .tooManyRequests)
                #expect(denied.header("Retry-After") != nil)
                #expect(denied.header("RateLimit-Limit") == "100")
                #expect(denied.header("RateLimit-Remaining") == "0")
                #expect(denied.header("RateLimit-Reset") != nil)
                break
            }
            _ = try await client.send(
                .put,
                "/v1/tenants/acme/limits/bytes",
                #"{"limit": 10, "period": "month", "enforcement": "soft"}"#
            )
            _ = try await client.send(
                .put,
                "/v1/tenants/acme/limits/seats",
                #"{"limit": 1, "period": "month", "enforcement": "none"}"#
            )
            for _ in 0..<15 {
                let soft = try await client.send(
                    .post,
                    "/v1/tenants/acme/consume",
                    #"{"metric": "bytes", "amount": 1}"#
                )
                #expect(soft.status == .ok)
                let none = try await client.send(
                    .post,
                    "/v1/tenants/acme/consume",
                    #"{"metric": "seats", "amount": 1}"#
                )
                #expect(none.status == .ok)
            }
            let soft = try await client.send(.post, "/v1/tenants/acme/consume", #"{"metric": "bytes", "amount": 1}"#)
            let result = (soft.json["results"] as? [[String: Any]])?.first
            #expect(result?["exceeded"] as? Bool == true)
        }
        try await node.stop()
    }

    @Test func sigtermFlushesEverythingAndARestartRecoversIt() async throws {
        let directory = try QuotadProcess.makeDataDirectory()
        let first = try await QuotadProcess(dataDirectory: directory, arguments: ["--flush-interval", "10s"])
        try await first.withHTTP { client in
            for index in 0..<1000 {
                let key = index == 0 ? #", "idempotency_key": "first""# : ""
                let response = try await client.send(
                    .post,
                    "/v1/tenants/acme/consume",
                    #"{"metric": "api_calls", "amount": 1\#(key)}"#
                )
                #expect(response.status == .ok)
            }
        }
        // The 10 s flush interval means nothing was written before SIGTERM: the shutdown flush must do it.
        #expect(try await first.stop(signal: SIGTERM) == 0)
        let second = try await QuotadProcess(dataDirectory: directory)
        try await second.withHTTP { client in
            let status = try await client.send(.get, "/v1/tenants/acme/status")
            #expect(usage(of: "api_calls", in: status.json) == 1000)
            let replay = try await client.send(
                .post,
                "/v1/tenants/acme/consume",
                #"{"metric": "api_calls", "amount": 1, "idempotency_key": "first"}"#
            )
            #expect(replay.json["replayed"] as? Bool == true)
            let after = try await client.send(.get, "/v1/tenants/acme/status")
            #expect(usage(of: "api_calls", in: after.json) == 1000)
        }
        try await second.stop()
    }

    @Test func killAfterAFlushIntervalKeepsWhatWasAcknowledged() async throws {
        let directory = try QuotadProcess.makeDataDirectory()
        let first = try await QuotadProcess(dataDirectory: directory, arguments: ["--flush-interval", "100ms"])
        let acknowledged = try await first.withHTTP { client in
            var acknowledged = 0
            for _ in 0..<300 {
                let response = try await client.send(
                    .post,
                    "/v1/tenants/acme/consume",
                    #"{"metric": "api_calls", "amount": 1}"#
                )
                if response.status == .ok { acknowledged += 1 }
            }
            return acknowledged
        }
        // Wait for the flush: readiness reports the unflushed count; poll until it is 0 (bounded).
        try await first.withHTTP { client in
            for _ in 0..<100 {
                let ready = try await client.send(.get, "/health/ready")
                if (ready.json["checks"] as? [String: Any])?["unflushed"] as? Int == 0 { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("the node never flushed")
        }
        try await first.stop(signal: SIGKILL)
        let second = try await QuotadProcess(dataDirectory: directory)
        try await second.withHTTP { client in
            let status = try await client.send(.get, "/v1/tenants/acme/status")
            #expect(usage(of: "api_calls", in: status.json) == acknowledged)
        }
        try await second.stop()
    }
}

/// Start-up refusals: a bad setting stops the node with a message naming it.
@Suite(.timeLimit(.minutes(1))) struct QuotadConfigurationTests {
    /// Runs quotad with `environment` added and `arguments`, expecting it to exit by itself; returns its exit
    /// status, standard error and standard output.
    func runToExit(
        environment: [String: String],
        arguments: [String]
    ) throws -> (status: Int32, errors: String, output: String) {
        let process = Process()
        process.executableURL = QuotadProcess.binaryDirectory.appendingPathComponent("quotad")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let errors = Pipe()
        process.standardError = errors
        // Standard output goes to a file, so that neither stream can fill its pipe while the other is read.
        let outputFile = try QuotadProcess.makeDataDirectory().appendingPathComponent("stdout")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = try String(contentsOf: outputFile, encoding: .utf8)
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), output)
    }

    @Test(arguments: [
        ("QUOTAD_HTTP_PORT", "abc"), ("QUOTAD_FLUSH_INTERVAL", "zz"), ("QUOTAD_UNKNOWN_METRICS", "maybe"),
        ("QUOTAD_MAX_UNFLUSHED", "-"), ("QUOTAD_IDEMPOTENCY_TTL", "1y"), ("QUOTAD_LEASE", "soon"),
        ("QUOTAD_HEARTBEAT_INTERVAL", "0"), ("QUOTAD_EVENT_LOOPS", "many"),
    ])
    func invalidEnvironmentValuesStopTheNode(name: String, value: String) throws {
        let data = try QuotadProcess.makeDataDirectory()
        let run = try self.runToExit(environment: [name: value], arguments: ["--data-dir", data.path])
        #expect(run.status != 0)
        #expect(run.errors.contains(name))
    }

    @Test func invalidFlagsStopTheNode() throws {
        let data = try QuotadProcess.makeDataDirectory()
        let run = try self.runToExit(environment: [:], arguments: ["--data-dir", data.path, "--node-id", "bad id!"])
        #expect(run.status != 0)
        #expect(run.errors.contains("node id"))
    }

    @Test(arguments: [
        (["--peers", "n2=127.0.0.1:7072,n3=127.0.0.1:7073"], "not in the peer list"),
        (["--peers", "n1=127.0.0.1"], "id=host:port"),
        (["--peers", "n1=127.0.0.1:7071,n1=127.0.0.1:7072"], "more than once"),
        (["--peers", "n1=127.0.0.1:99999"], "ports are 1"),
        (["--peers-file", "/nonexistent/peers"], "cannot read the peers file"),
        (
            ["--lease", "500ms", "--suspicion-timeout", "200ms"],
            "--lease 500ms must be at most the suspicion timeout (--suspicion-timeout 200ms)"
        ),
        (
            ["--heartbeat-interval", "2s"],
            "--heartbeat-interval 2s must be shorter than the lease (--lease 1s by default)"
        ),
        (
            ["--node-id", "n1", "--tcp-port", "17999", "--peers", "n1=127.0.0.1:17071,n2=127.0.0.1:17072"],
            "peers could not reach it"
        ),
        (
            ["--node-id", "n1", "--peers", "n1=127.0.0.1:7070,n2=127.0.0.1:7070"],
            "--peers: members 'n1' and 'n2' share the address 127.0.0.1:7070"
        ),
        (["--peers", "garbage"], "--peers: peer 'garbage' must look like id=host:port"),
        (
            ["--node-id", "n1", "--peers", "n1=127.0.0.1:7070,n1=127.0.0.1:7071"],
            "--peers: member 'n1' is listed more than once in the peer list"
        ),
        (["--http-port", "70000"], "--http-port 70000: must be between 0 and 65535"),
        (["--tcp-port=-5"], "--tcp-port -5: must be between 0 and 65535"),
        (["--tcp-port", "-5"], "--tcp-port -5: must be between 0 and 65535"),
        (["--max-unflushed", "-3"], "--max-unflushed -3: must be positive"),
        (["--tcp-port"], "Missing value for '--tcp-port"),
        (["--event-loops", "0"], "--event-loops 0: must be between 1 and 256"),
        (["--event-loops", "257"], "--event-loops 257: must be between 1 and 256"),
        (["--max-unflushed", "0"], "--max-unflushed 0: must be positive"),
        (["--log-level", "loud"], "--log-level loud: unknown log level"),
    ])
    func invalidClusterFlagsStopTheNode(arguments: [String], message: String) throws {
        let data = try QuotadProcess.makeDataDirectory()
        let run = try self.runToExit(environment: [:], arguments: ["--data-dir", data.path] + arguments)
        #expect(run.status != 0)
        #expect(run.errors.contains(message), "\(run.errors)")
    }

    /// A value from a `QUOTAD_*` variable is refused naming the variable and its text, not the flag it stands for;
    /// a flag given as well wins, and is named.
    @Test(arguments: [
        (["QUOTAD_HTTP_PORT": "70000"], "QUOTAD_HTTP_PORT=70000: must be between 0 and 65535", "--http-port"),
        (["QUOTAD_TCP_PORT": "-5"], "QUOTAD_TCP_PORT=-5: must be between 0 and 65535", "--tcp-port"),
        (["QUOTAD_MAX_UNFLUSHED": "0"], "QUOTAD_MAX_UNFLUSHED=0: must be positive", "--max-unflushed"),
        (["QUOTAD_EVENT_LOOPS": "257"], "QUOTAD_EVENT_LOOPS=257: must be between 1 and 256", "--event-loops"),
        (["QUOTAD_LOG_LEVEL": "loud"], "QUOTAD_LOG_LEVEL=loud: unknown log level", "--log-level"),
        (["QUOTAD_PEERS": "garbage"], "QUOTAD_PEERS: peer 'garbage' must look like id=host:port", "--peers"),
        (
            ["QUOTAD_PEERS": "n1=127.0.0.1:7070,n1=127.0.0.1:7071"],
            "QUOTAD_PEERS: member 'n1' is listed more than once in the peer list", "--peers"
        ),
        (
            ["QUOTAD_PEERS": "n1=127.0.0.1:7070", "QUOTAD_PEERS_FILE": "/nonexistent/peers"],
            "give the members with QUOTAD_PEERS or QUOTAD_PEERS_FILE, not both", "--peers"
        ),
        (
            ["QUOTAD_TCP_PORT": "17999", "QUOTAD_PEERS": "n1=127.0.0.1:17071,n2=127.0.0.1:17072"],
            "(QUOTAD_TCP_PORT=17999); peers could not reach it", "--tcp-port"
        ),
    ])
    func outOfRangeEnvironmentValuesNameTheVariable(
        environment: [String: String],
        message: String,
        flag: String
    )
        throws
    {
        let data = try QuotadProcess.makeDataDirectory()
        let run = try self.runToExit(environment: environment, arguments: ["--data-dir", data.path])
        #expect(run.status == 64)
        #expect(run.errors.contains(message), "\(run.errors)")
        #expect(!run.errors.contains(flag), "\(run.errors)")
    }

    /// A duration variable that does not parse is refused naming the variable and its text.
    @Test func aDurationVariableThatDoesNotParseIsRefusedNamingIt() throws {
        let data = try QuotadProcess.makeDataDirectory()
        let run = try self.runToExit(environment: ["QUOTAD_LEASE": "soon"], arguments: ["--data-dir", data.path])
        #expect(run.status == 64)
        #expect(run.errors.contains("QUOTAD_LEASE='soon' is not a valid value"), "\(run.errors)")
        #expect(!run.errors.contains("--lease"), "\(run.errors)")
    }

    /// A duration flag wins over its variable, in both directions. The heartbeat interval must be shorter than the
    /// lease (1s by default): a valid variable is overridden by a flag that is refused, and a variable that would
    /// be refused is overridden by a flag that lets the node start.
    @Test func aDurationFlagWinsOverItsVariable() async throws {
        let data = try QuotadProcess.makeDataDirectory()
        let refused = try self.runToExit(
            environment: ["QUOTAD_HEARTBEAT_INTERVAL": "100ms"],
            arguments: ["--data-dir", data.path, "--heartbeat-interval", "2s"]
        )
        #expect(refused.status == 64)
        #expect(refused.errors.contains("--heartbeat-interval 2s must be shorter than the lease"), "\(refused.errors)")
        let fromVariable = try self.runToExit(
            environment: ["QUOTAD_HEARTBEAT_INTERVAL": "2s"],
            arguments: ["--data-dir", data.path]
        )
        #expect(fromVariable.status == 64)
        #expect(
            fromVariable.errors.contains(
                "QUOTAD_HEARTBEAT_INTERVAL=2s must be shorter than the lease (--lease 1s by default)"
            ),
            "\(fromVariable.errors)"
        )
        let node = try await QuotadProcess(
            dataDirectory: data,
            arguments: ["--heartbeat-interval", "100ms"],
            environment: ["QUOTAD_HEARTBEAT_INTERVAL": "2s"]
        )
        #expect(try await node.stop() == 0)
    }

    /// An invalid entry of a peers file is refused naming the file's path with the flag or variable that gave it.
    @Test func anInvalidPeersFileEntryNamesTheFile() throws {
        let data = try QuotadProcess.makeDataDirectory()
        let file = data.appendingPathComponent("peers")
        try Data("n1=127.0.0.1:7070\ngarbage  # not a member\n".utf8).write(to: file)
        let fromFlag = try self.runToExit(
            environment: [:],
            arguments: ["--data-dir", data.path, "--peers-file", file.path]
        )
        #expect(fromFlag.status == 64)
        let flagMessage = "--peers-file \(file.path): peer 'garbage' must look like id=host:port"
        #expect(fromFlag.errors.contains(flagMessage), "\(fromFlag.errors)")
        let fromVariable = try self.runToExit(
            environment: ["QUOTAD_PEERS_FILE": file.path],
            arguments: ["--data-dir", data.path]
        )
        #expect(fromVariable.status == 64)
        let variableMessage = "QUOTAD_PEERS_FILE=\(file.path): peer 'garbage' must look like id=host:port"
        #expect(fromVariable.errors.contains(variableMessage), "\(fromVariable.errors)")
    }

    /// A member listed twice in a peers file is refused naming the file's path with the flag that gave it.
    @Test func aMemberListedTwiceInThePeersFileNamesTheFile() throws {
        let data = try QuotadProcess.makeDataDirectory()
        let file = data.appendingPathComponent("peers")
        try Data("n1=127.0.0.1:7070\nn2=127.0.0.1:7071\nn1=127.0.0.1:7072\n".utf8).write(to: file)
        let run = try self.runToExit(environment: [:], arguments: ["--data-dir", data.path, "--peers-file", file.path])
        #expect(run.status == 64)
        let message = "--peers-file \(file.path): member 'n1' is listed more than once in the peer list"
        #expect(run.errors.contains(message), "\(run.errors)")
    }

    @Test func aFlagGivenWithItsVariableIsNamedWhenItsValueIsRefused() throws {
        let data = try QuotadProcess.makeDataDirectory()
        let run = try self.runToExit(
            environment: ["QUOTAD_HTTP_PORT": "8080"],
            arguments: ["--data-dir", data.path, "--http-port", "70000"]
        )
        #expect(run.status == 64)
        #expect(run.errors.contains("--http-port 70000: must be between 0 and 65535"), "\(run.errors)")
        #expect(!run.errors.contains("QUOTAD_HTTP_PORT"))
    }

    @Test func aDataDirectoryThatCannotBeCreatedStopsTheNodeWithTheReason() throws {
        let file = try QuotadProcess.makeDataDirectory().appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        for (path, reason) in [(file.path, "is not a directory"), (file.path + "/below", "Not a directory")] {
            let run = try self.runToExit(environment: [:], arguments: ["--data-dir", path])
            #expect(run.status != 0)
            #expect(run.errors.contains("(--data-dir)") && run.errors.contains(reason), "\(run.errors)")
        }
        let fromEnvironment = try self.runToExit(environment: ["QUOTAD_DATA_DIR": file.path], arguments: [])
        #expect(fromEnvironment.status != 0)
        #expect(fromEnvironment.errors.contains("(QUOTAD_DATA_DIR): \(file.path) is not a directory"))
    }

    @Test func aSecondNodeOnTheSameDataDirectoryIsRefused() async throws {
        let directory = try QuotadProcess.makeDataDirectory()
        let running = try await QuotadProcess(dataDirectory: directory)
        let run = try self.runToExit(
            environment: [:],
            arguments: ["--data-dir", directory.path, "--http-port", "0", "--tcp-port", "0"]
        )
        #expect(run.status != 0)
        #expect(run.errors.contains("another quotad is running on it"), "\(run.errors)")
        #expect(run.errors.contains("--data-dir"))
        _ = try await running.stop()
        let restarted = try await QuotadProcess(dataDirectory: directory)
        _ = try await restarted.stop()
    }

    /// The message names the listener whose port was taken and what set that port; nothing is announced as
    /// listening, since not every listener could bind.
    @Test func aPortInUseStopsTheNodeNamingTheListenerWhosePortIsTaken() async throws {
        let running = try await QuotadProcess(dataDirectory: try QuotadProcess.makeDataDirectory())
        let taken: [(environment: [String: String], arguments: [String], message: String)] = [
            (
                [:], ["--http-port", "\(running.httpPort)", "--tcp-port", "0"],
                "cannot listen: the HTTP API on 127.0.0.1:\(running.httpPort) (--http-port \(running.httpPort)): "
                    + "address already in use"
            ),
            (
                [:], ["--http-port", "0", "--tcp-port", "\(running.tcpPort)"],
                "cannot listen: the binary protocol on 127.0.0.1:\(running.tcpPort) (--tcp-port \(running.tcpPort)): "
                    + "address already in use"
            ),
            (
                ["QUOTAD_TCP_PORT": "\(running.tcpPort)"], ["--http-port", "0"],
                "cannot listen: the binary protocol on 127.0.0.1:\(running.tcpPort) "
                    + "(QUOTAD_TCP_PORT=\(running.tcpPort)): address already in use"
            ),
        ]
        for (environment, arguments, message) in taken {
            let data = try QuotadProcess.makeDataDirectory()
            let run = try self.runToExit(environment: environment, arguments: ["--data-dir", data.path] + arguments)
            #expect(run.status == 1)
            #expect(run.errors.contains(message), "\(run.errors)")
            #expect(!run.output.contains("listening"), "\(run.output)")
        }
        _ = try await running.stop()
    }

    /// An address that is not on this machine (192.0.2.1, TEST-NET-1: EADDRNOTAVAIL), or a host that does not
    /// resolve, names the listener, the host setting and the system's reason, instead of NIO's raw error.
    @Test(arguments: [
        (
            [:], ["--http-host", "192.0.2.1"],
            "cannot listen: the HTTP API on 192.0.2.1:0 (--http-host 192.0.2.1): cannot assign requested address"
        ),
        (
            [:], ["--tcp-host", "192.0.2.1"],
            "cannot listen: the binary protocol on 192.0.2.1:0 (--tcp-host 192.0.2.1): cannot assign requested address"
        ),
        (
            ["QUOTAD_HTTP_HOST": "192.0.2.1"], [],
            "cannot listen: the HTTP API on 192.0.2.1:0 (QUOTAD_HTTP_HOST=192.0.2.1): cannot assign requested address"
        ),
        (
            [:], ["--tcp-host", "nosuch.invalid"],
            "cannot listen: the binary protocol on nosuch.invalid:0 (--tcp-host nosuch.invalid): the host cannot be "
                + "resolved"
        ),
    ])
    func anAddressThatCannotBeBoundStopsTheNodeWithTheReason(
        environment: [String: String],
        arguments: [String],
        message: String
    ) throws {
        let data = try QuotadProcess.makeDataDirectory()
        let run = try self.runToExit(
            environment: environment,
            arguments: ["--data-dir", data.path, "--http-port", "0", "--tcp-port", "0"] + arguments
        )
        #expect(run.status == 1)
        #expect(run.errors.contains(message), "\(run.errors)")
        #expect(!run.errors.contains("errno"), "\(run.errors)")
        #expect(!run.output.contains("listening"), "\(run.output)")
    }
}
