import ArgumentParser
import QuotaBench
import QuotaCore
import QuotaNode
import Testing

/// `--port` with several ports: connection i goes to port i mod n.
@Suite(.timeLimit(.minutes(1))) struct MultiPortTests {
    @Test func connectionsSpreadOverSeveralListenersOfOneNode() async throws {
        try await withWireNode(listeners: 3) { engine, ports in
            let list = ports.map(String.init).joined(separator: ",")
            let configuration = try BenchConfiguration(
                options: try BenchOptions.parse([
                    "--port", list, "--requests", "600", "--warmup", "0", "--connections", "6", "--pipeline", "4",
                    "--tenants", "4", "--mix", "consume=1",
                ])
            )
            let runner = BenchRunner(configuration: configuration)
            let report = try await runner.run(limitInstaller: EngineLimitInstaller(engine: engine))
            #expect(report.requests == 600)
            #expect(report.allowed == 600, "\(report.errorMessages)")
            #expect(report.settings.port == ports[0])
            #expect(report.settings.ports == ports)
            #expect(report.humanText.contains("127.0.0.1:\(list);"))
        }
    }

    @Test func theConnectionOfASecondPortThatIsNotListeningFailsTheRun() async throws {
        try await withWireNode { _, port in
            let missing = try await closedPort()
            // Connection 0 goes to the listening port, connection 1 to the other one.
            let configuration = try BenchConfiguration(
                options: try BenchOptions.parse(["--port", "\(port),\(missing)", "--no-setup", "--connections", "2"])
            )
            await #expect {
                _ = try await BenchRunner(configuration: configuration).run()
            } throws: { error in
                guard case .connectFailed(let address, _)? = error as? BenchError else { return false }
                return address == "127.0.0.1:\(missing)"
            }
        }
    }
}
