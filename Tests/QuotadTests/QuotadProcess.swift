import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization

/// A real `quotad` process on 127.0.0.1 with OS-chosen ports, for end-to-end tests.
final class QuotadProcess: Sendable {
    struct StartError: Error, CustomStringConvertible {
        let description: String
    }

    let process: Process
    let httpPort: Int
    let tcpPort: Int
    let dataDirectory: URL
    private let output: OutputBuffer

    /// The directory holding the built executables (the test bundle sits next to them).
    static var binaryDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// A new, empty data directory.
    static func makeDataDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quotad-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Starts `quotad` on `dataDirectory`, with `environment` added to the test's, and waits (at most 30 s) until
    /// both listeners announce their ports.
    init(
        dataDirectory: URL,
        tcpPort: Int = 0,
        arguments: [String] = [],
        environment: [String: String] = [:]
    ) async throws {
        let process = Process()
        process.executableURL = Self.binaryDirectory.appendingPathComponent("quotad")
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.arguments =
            [
                "--http-port", "0", "--tcp-port", "\(tcpPort)", "--data-dir", dataDirectory.path, "--log-level",
                "warning",
            ] + arguments
        // Both streams go to pipes the test drains: a child must never hold the test runner's own output open.
        let output = OutputBuffer()
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        for pipe in [standardOutput, standardError] {
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if !data.isEmpty { output.append(String(decoding: data, as: UTF8.self)) }
            }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        var ports: (http: Int, tcp: Int)?
        while ports == nil {
            let text = output.text
            if let http = Self.port(named: "http", in: text), let tcp = Self.port(named: "tcp", in: text) {
                ports = (http, tcp)
                break
            }
            guard process.isRunning, Date() < deadline else {
                process.terminate()
                throw StartError(description: "quotad did not start; output so far: \(text)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        self.process = process
        self.httpPort = ports!.http
        self.tcpPort = ports!.tcp
        self.dataDirectory = dataDirectory
        self.output = output
    }

    /// Everything the node wrote to standard output and standard error so far.
    var outputText: String { self.output.text }

    /// Free TCP ports on 127.0.0.1, chosen by the OS (bound, read, released), for nodes that must know
    /// each other's ports before they start.
    static func reservePorts(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { for socket in sockets { close(socket) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw StartError(description: "socket() failed") }
            sockets.append(descriptor)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                    bind(descriptor, raw, length) == 0 && getsockname(descriptor, raw, &length) == 0
                }
            }
            guard bound else { throw StartError(description: "bind() failed") }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }

    /// A node still running when its test ends (a failed expectation threw) is killed, never left behind.
    deinit {
        if self.process.isRunning { kill(self.process.processIdentifier, SIGKILL) }
    }

    private static func port(named name: String, in text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("listening \(name)=") {
            return line.split(separator: ":").last.flatMap { Int($0) }
        }
        return nil
    }

    /// Sends `signal` and waits (at most 30 s) for the process to exit; returns its exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) async throws -> Int32 {
        kill(self.process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(30)
        while self.process.isRunning {
            guard Date() < deadline else { throw StartError(description: "quotad did not exit after signal \(signal)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return self.process.terminationStatus
    }

    /// Runs `body` with an HTTP client connected to this node (one keep-alive connection).
    func withHTTP<Value: Sendable>(_ body: @escaping @Sendable (TestClient) async throws -> Value) async throws -> Value
    {
        try await TestClient.withClient(
            host: "127.0.0.1",
            port: self.httpPort,
            configuration: .init(timeout: .seconds(10)),
            operation: body
        )
    }
}

extension TestClient {
    /// Sends one request with an optional JSON body.
    func send(_ method: HTTPRequest.Method, _ path: String, _ json: String? = nil) async throws -> TestClient.Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return try await self.execute(
            TestClient.Request(path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        )
    }
}

extension TestClient.Response {
    var json: [String: Any] {
        guard let body,
            let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        else { return [:] }
        return object
    }

    func header(_ name: String) -> String? { self.headers[HTTPField.Name(name)!] }
}

/// The usage of `metric` in a status body.
func usage(of metric: String, in status: [String: Any]) -> Int? {
    let metrics = status["metrics"] as? [[String: Any]] ?? []
    return metrics.first { $0["metric"] as? String == metric }?["usage"] as? Int
}

/// The standard output a child process has written so far.
final class OutputBuffer: Sendable {
    private let storage = Mutex("")

    var text: String { self.storage.withLock { $0 } }

    func append(_ chunk: String) { self.storage.withLock { $0 += chunk } }
}
