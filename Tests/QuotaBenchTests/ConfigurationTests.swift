import ArgumentParser
import QuotaBench
import Testing

/// The command line as the bench validates it: what is refused, and the defaults filled in.
struct ConfigurationTests {
    func configuration(_ arguments: [String]) throws -> BenchConfiguration {
        try BenchConfiguration(options: try BenchOptions.parse(arguments))
    }

    func refusal(_ arguments: [String]) throws -> BenchConfigurationError? {
        let options = try BenchOptions.parse(arguments)
        do {
            _ = try BenchConfiguration(options: options)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        "10.0.0.1", "192.168.1.10", "8.8.8.8", "128.0.0.1", "example.com", "127.0.0.1.example.com",
        "127.1", "::2", "[::2]", "0.0.0.0", "::", "fe80::1", "localhost.example.com", "",
    ])
    func nonLoopbackHostsAreRefused(host: String) throws {
        #expect(try self.refusal(["--host", host]) == .nonLoopbackHost(host))
    }

    @Test(arguments: ["127.0.0.1", "127.255.0.9", "localhost", "LocalHost", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::0:1"])
    func loopbackHostsAreAccepted(host: String) throws {
        #expect(try self.configuration(["--host", host]).host == host)
    }

    @Test func theRefusalOfAHostSaysWhatIsAllowed() throws {
        let error = try #require(try self.refusal(["--host", "10.1.2.3"]))
        #expect(error.description.contains("127.0.0.0/8, ::1 or localhost"))
    }

    @Test(arguments: [
        "", "consume", "consume=", "consume=-1", "consume=1.5", "consume=0,check=0", "reserve=5",
        "consume=1,consume=2", "consume=90;check=10", "consume=2000000",
    ])
    func badMixesAreRefused(mix: String) throws {
        guard case .invalidMix(let text, _)? = try self.refusal(["--mix", mix]) else {
            Issue.record("--mix '\(mix)' was not refused as an invalid mix")
            return
        }
        #expect(text == mix)
    }

    @Test func aMixIsParsedWithItsWeights() throws {
        let mix = try OperationMix(parsing: "consume=90, check=5,status=5")
        #expect(mix.totalWeight == 100)
        #expect(mix.description == "consume=90,check=5,status=5")
        #expect(mix.operation(forDraw: 0) == .consume)
        #expect(mix.operation(forDraw: 89) == .consume)
        #expect(mix.operation(forDraw: 90) == .check)
        #expect(mix.operation(forDraw: 95) == .status)
        #expect(mix.operation(forDraw: 199) == .status)
    }

    @Test func statusIsRefusedInRESPMode() throws {
        #expect(try self.refusal(["--protocol", "resp", "--mix", "consume=90,status=10"]) == .statusNotSupportedInRESP)
        #expect(try self.configuration(["--protocol", "resp"]).mix.operations == [.consume, .check])
    }

    @Test(arguments: ["0", "-1", "10.5", "nan", "inf"])
    func zipfExponentsOutOfRangeAreRefused(exponent: String) throws {
        let error = try self.refusal(["--distribution", "zipf", "--zipf-s=\(exponent)"])
        guard case .outOfRange(let option, _, _)? = error else {
            Issue.record("--zipf-s \(exponent) was not refused as out of range")
            return
        }
        #expect(option == "--zipf-s")
    }

    @Test func zipfHasADefaultExponentAndTheExponentNeedsZipf() throws {
        #expect(try self.configuration(["--distribution", "zipf"]).distribution == .zipf(exponent: 1.1))
        #expect(
            try self.configuration(["--distribution", "zipf", "--zipf-s", "0.8"]).distribution == .zipf(exponent: 0.8)
        )
        #expect(try self.configuration([]).distribution == .uniform)
        guard case .notApplicable(let option, _)? = try self.refusal(["--zipf-s", "1.2"]) else {
            Issue.record("--zipf-s without --distribution zipf was accepted")
            return
        }
        #expect(option == "--zipf-s")
    }

    @Test(arguments: [
        (["--connections", "0"], "--connections"), (["--pipeline", "1025"], "--pipeline"),
        (["--connections", "1000", "--pipeline", "100"], "--connections × --pipeline"), (["--rate", "0"], "--rate"),
        (["--duration", "0"], "--duration"), (["--warmup=-1"], "--warmup"), (["--tenants", "0"], "--tenants"),
        (["--requests", "0"], "--requests"), (["--port", "70000"], "--port"), (["--limit", "0"], "--limit"),
        (["--exhaust-fraction", "1.5"], "--exhaust-fraction"), (["--http-port", "0"], "--http-port"),
    ])
    func valuesOutOfRangeAreRefused(arguments: [String], option: String) throws {
        guard case .outOfRange(let refused, _, _)? = try self.refusal(arguments) else {
            Issue.record("\(arguments) was not refused as out of range")
            return
        }
        #expect(refused == option)
    }

    /// A negative number after a numeric option and a space is that option's value, not another option: it gets
    /// the same range error as `--option=-5`.
    @Test(arguments: [
        (["--connections", "-5"], "--connections"), (["--pipeline", "-1"], "--pipeline"), (["--rate", "-1"], "--rate"),
        (["--duration", "-2"], "--duration"), (["--warmup", "-1"], "--warmup"), (["--tenants", "-1"], "--tenants"),
        (["--requests", "-3"], "--requests"), (["--limit", "-4"], "--limit"),
        (["--exhaust-fraction", "-0.5"], "--exhaust-fraction"), (["--http-port", "-80"], "--http-port"),
        (["--distribution", "zipf", "--zipf-s", "-1"], "--zipf-s"),
    ])
    func negativeValuesAfterASpaceAreRefusedAsOutOfRange(arguments: [String], option: String) throws {
        guard case .outOfRange(let refused, let value, _)? = try self.refusal(arguments) else {
            Issue.record("\(arguments) was not refused as out of range")
            return
        }
        #expect(refused == option)
        #expect(value.hasPrefix("-"))
    }

    @Test func aNegativePortAfterASpaceIsRefusedAsAPort() throws {
        #expect(try self.refusal(["--port", "-5"]) == .invalidPorts("-5", "'-5' is not a port number"))
    }

    @Test func aNumericOptionAtTheEndWithoutAValueIsStillMissingOne() {
        do {
            _ = try BenchOptions.parse(["--pipeline", "4", "--connections"])
            Issue.record("--connections without a value was accepted")
        } catch {
            #expect(BenchOptions.message(for: error).contains("Missing value for '--connections"))
        }
    }

    @Test(arguments: [
        (["--protocol", "http", "--http-port", "9000"], "--http-port"),
        (["--protocol", "resp", "--setup"], "--setup"), (["--protocol", "resp", "--audit", "full"], "--audit"),
        (["--no-setup", "--http-port", "9000"], "--http-port"), (["--no-setup", "--limit", "5"], "--limit"),
        (["--no-setup", "--exhaust-fraction", "0.1"], "--exhaust-fraction"),
    ])
    func optionsWithoutMeaningAreRefused(arguments: [String], option: String) throws {
        guard case .notApplicable(let refused, _)? = try self.refusal(arguments) else {
            Issue.record("\(arguments) was not refused as not applicable")
            return
        }
        #expect(refused == option)
    }

    @Test(arguments: [
        ("17071,,17072", "an entry is empty"), ("17071,", "an entry is empty"), (",17071", "an entry is empty"),
        ("", "an entry is empty"), ("abc", "'abc' is not a port number"), ("17071,x7", "'x7' is not a port number"),
        ("+7070", "'+7070' is not a port number"), ("7070.0", "'7070.0' is not a port number"),
        ("17071,17072,17071", "port 17071 is given twice"), ("17071, 17071", "port 17071 is given twice"),
    ])
    func badPortListsAreRefused(ports: String, reason: String) throws {
        #expect(try self.refusal(["--port", ports]) == .invalidPorts(ports, reason))
    }

    @Test(arguments: ["0", "70000", "17071,0", "17071,65536"])
    func portsOutOfRangeAreRefused(ports: String) throws {
        guard case .outOfRange(let option, _, _)? = try self.refusal(["--port", ports]) else {
            Issue.record("--port \(ports) was not refused as out of range")
            return
        }
        #expect(option == "--port")
    }

    @Test func morePortsThanConnectionsAreRefused() throws {
        let error = try #require(try self.refusal(["--port", "17071,17072,17073", "--connections", "2"]))
        guard case .invalidPorts(_, let reason) = error else {
            Issue.record("3 ports for 2 connections were not refused as invalid ports: \(error)")
            return
        }
        #expect(reason.contains("3 ports for 2 connections"))
        #expect(error.description.hasPrefix("--port '17071,17072,17073': "))
    }

    @Test func connectionsAreSpreadOverThePortsRoundRobin() throws {
        let configuration = try self.configuration(["--port", "17071, 17072,17073", "--connections", "7"])
        #expect(configuration.ports == [17071, 17072, 17073])
        #expect(configuration.port == 17071)
        #expect((0..<7).map(configuration.port(ofConnection:)) == [17071, 17072, 17073, 17071, 17072, 17073, 17071])
        #expect(configuration.address == "127.0.0.1:17071,17072,17073")
        let single = try self.configuration(["--port", "17071"])
        #expect(single.ports == [17071])
        #expect(single.address == "127.0.0.1:17071")
    }

    @Test func theHTTPSetupUsesTheFirstPort() throws {
        let http = try self.configuration(["--protocol", "http", "--port", "18081,18082", "--connections", "2"])
        #expect(http.setup?.httpPort == 18081)
    }

    @Test func defaultsDependOnTheProtocol() throws {
        let binary = try self.configuration([])
        #expect(binary.port == 7070)
        #expect(binary.ports == [7070])
        #expect(binary.setup == SetupSettings(httpPort: 8080, audit: .aggregate))
        #expect(binary.connections == 50)
        #expect(binary.pipeline == 1)
        #expect(binary.shape == .closedLoop)
        #expect(binary.duration == .seconds(10))
        #expect(binary.warmup == .seconds(1))
        #expect(binary.tenants == 1000)
        #expect(binary.limits == LimitSettings(limit: 1_000_000_000, exhaustFraction: 0, period: .minute))
        let http = try self.configuration(["--protocol", "http", "--port", "18080", "--audit", "full"])
        #expect(http.setup == SetupSettings(httpPort: 18080, audit: .full))
        let resp = try self.configuration(["--protocol", "resp", "--rate", "500"])
        #expect(resp.port == 6379)
        #expect(resp.setup == nil)
        #expect(resp.shape == .openLoop(requestsPerSecond: 500))
        #expect(try self.configuration(["--no-setup"]).setup == nil)
    }
}
