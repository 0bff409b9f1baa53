import ArgumentParser
import NIOCore
import NIOPosix
import QuotaBench
import QuotaCore
import QuotaNode
import Testing

/// A tiny bench through the library's entry point, in binary mode, against a real engine and `WireServer`.
@Suite(.timeLimit(.minutes(1))) struct BinaryEndToEndTests {
    func run(_ arguments: [String], engine: QuotaEngine) async throws -> (BenchReport, TenantTable) {
        let configuration = try BenchConfiguration(options: try BenchOptions.parse(arguments))
        let runner = BenchRunner(configuration: configuration)
        let report = try await runner.run(limitInstaller: EngineLimitInstaller(engine: engine))
        return (report, runner.tenants)
    }

    func usage(_ engine: QuotaEngine, _ tenant: String) async throws -> Int64 {
        let metric = try MetricCode(BenchConfiguration.metric)
        return try await engine.status(of: try TenantID(tenant)).first { $0.metric == metric }?.usage ?? 0
    }

    @Test func countsAddUpAndTenantsWithATinyLimitAreDenied() async throws {
        try await withWireNode { engine, port in
            let (report, tenants) = try await self.run(
                [
                    "--port", "\(port)", "--requests", "500", "--warmup", "0", "--duration", "30", "--connections", "4",
                    "--pipeline", "4", "--tenants", "4", "--exhaust-fraction", "0.5",
                ],
                engine: engine
            )
            #expect(report.requests == 500)
            #expect(report.settings.ports == [port])
            #expect(report.jsonText.contains(#""port":\#(port),"ports":[\#(port)]"#))
            #expect(report.allowed + report.denied + report.errors == report.requests)
            #expect(report.errors == 0, "\(report.errorMessages)")
            #expect(report.denied > 0)
            #expect(report.p50Microseconds > 0)
            #expect(report.maxMicroseconds >= report.p999Microseconds)
            #expect(tenants.exhaustedIndexes.count == 2)
            for index in tenants.exhaustedIndexes {
                let used = try await self.usage(engine, tenants.names[index])
                #expect(used == LimitSettings.exhaustedLimit)
            }
        }
    }

    @Test func everyAllowedConsumeIsCountedByTheNode() async throws {
        try await withWireNode { engine, port in
            let (report, tenants) = try await self.run(
                [
                    "--port", "\(port)", "--requests", "500", "--warmup", "0", "--connections", "2", "--pipeline", "8",
                    "--tenants", "10", "--distribution", "zipf", "--exhaust-fraction", "0.3", "--mix", "consume=1",
                ],
                engine: engine
            )
            #expect(report.requests == 500)
            #expect(report.errors == 0, "\(report.errorMessages)")
            var usage: Int64 = 0
            for name in tenants.names { usage += try await self.usage(engine, name) }
            #expect(usage == Int64(report.allowed))
            #expect(report.denied > 0)
        }
    }

    @Test func anOpenLoopSendsExactlyTheRequestsOfItsTimetable() async throws {
        try await withWireNode { engine, port in
            let (report, tenants) = try await self.run(
                [
                    "--port", "\(port)", "--rate", "2000", "--requests", "300", "--warmup", "0.05", "--duration", "30",
                    "--connections", "3", "--pipeline", "2", "--tenants", "5", "--mix", "consume=1",
                ],
                engine: engine
            )
            #expect(report.requests == 300)
            #expect(report.errors == 0, "\(report.errorMessages)")
            // 100 warmup requests (0.05 s at 2000/s) were sent too, and consumed, but not recorded.
            var usage: Int64 = 0
            for name in tenants.names { usage += try await self.usage(engine, name) }
            #expect(usage == 400)
            #expect(report.settings.load == "open")
            #expect(report.durationSeconds >= 0.149)
        }
    }

    @Test func aClosedLoopRespectsTheRequestBoundAcrossConnections() async throws {
        try await withWireNode { engine, port in
            let (report, tenants) = try await self.run(
                [
                    "--port", "\(port)", "--requests", "1000", "--warmup", "0", "--connections", "5", "--pipeline",
                    "16",
                    "--tenants", "3", "--mix", "consume=1",
                ],
                engine: engine
            )
            #expect(report.requests == 1000)
            #expect(report.allowed == 1000)
            var usage: Int64 = 0
            for name in tenants.names { usage += try await self.usage(engine, name) }
            #expect(usage == 1000)
        }
    }

    @Test func aTargetThatIsNotListeningFailsTheRunWithAConnectError() async throws {
        let port = try await closedPort()
        let configuration = try BenchConfiguration(
            options: try BenchOptions.parse(["--port", "\(port)", "--no-setup", "--connections", "1"])
        )
        await #expect {
            _ = try await BenchRunner(configuration: configuration).run()
        } throws: { error in
            guard case .connectFailed(let address, _)? = error as? BenchError else { return false }
            return address == "127.0.0.1:\(port)"
                && "\(error)".hasPrefix("cannot connect to 127.0.0.1:\(port), the target given by --host and --port: ")
        }
    }

    @Test func aLoadPortThatIsNotListeningFailsBeforeTheSetupSetsAnyLimit() async throws {
        try await withWireNode { engine, port in
            let closed = try await closedPort()
            let configuration = try BenchConfiguration(
                options: try BenchOptions.parse(["--port", "\(port),\(closed)", "--tenants", "3"])
            )
            await #expect {
                _ = try await BenchRunner(configuration: configuration).run(
                    limitInstaller: EngineLimitInstaller(engine: engine)
                )
            } throws: { error in
                guard case .connectFailed(let address, _)? = error as? BenchError else { return false }
                return address == "127.0.0.1:\(closed)"
            }
            let limits = try await engine.limits(of: TenantID("bench-0"))
            #expect(limits.isEmpty)
        }
    }

    @Test func anHTTPAPIThatIsNotListeningFailsTheSetupNamingTheFlag() async throws {
        try await withWireNode { _, load in
            let port = try await closedPort()
            let configuration = try BenchConfiguration(
                options: try BenchOptions.parse([
                    "--port", "\(load)", "--http-port", "\(port)", "--connections", "1", "--tenants", "2",
                ])
            )
            await #expect {
                _ = try await BenchRunner(configuration: configuration).run()
            } throws: { error in
                guard case .setupConnectFailed(let address, "--http-port", _)? = error as? BenchError else {
                    return false
                }
                return address == "127.0.0.1:\(port)" && "\(error)".contains("--http-port")
            }
        }
    }

    @Test func overHTTPTheSetupErrorNamesThePortOption() async throws {
        let port = try await closedPort()
        let configuration = try BenchConfiguration(
            options: try BenchOptions.parse(["--protocol", "http", "--port", "\(port)", "--connections", "1"])
        )
        await #expect {
            _ = try await BenchRunner(configuration: configuration).run()
        } throws: { error in
            guard case .setupConnectFailed(_, "--port", _)? = error as? BenchError else { return false }
            return "\(error)".contains("(--port;")
        }
    }
}
