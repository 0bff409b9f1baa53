/// Reads `--port`: one port, or several separated by commas, to which the connections are spread round-robin.
enum TargetPorts {
    /// The ports listed in `text`, in the order given.
    ///
    /// - Parameters:
    ///   - text: For example `7070` or `17071,17072,17073`; spaces around an entry are ignored.
    ///   - connections: The number of connections, which must be at least the number of ports (a port without a
    ///     connection would get no load).
    /// - Throws: ``BenchConfigurationError/outOfRange(option:value:accepted:)`` for a port outside 1–65535;
    ///   ``BenchConfigurationError/invalidPorts(_:_:)`` for an empty entry, an entry that is not a whole number, a
    ///   port given twice, or more ports than connections.
    static func parse(_ text: String, connections: Int) throws(BenchConfigurationError) -> [Int] {
        var ports: [Int] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = entry.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
            guard !trimmed.isEmpty else { throw .invalidPorts(text, "an entry is empty") }
            guard trimmed.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(String(trimmed)) else {
                throw .invalidPorts(text, "'\(String(trimmed))' is not a port number")
            }
            try BenchConfiguration.require("--port", port, in: 1...65535)
            guard !ports.contains(port) else { throw .invalidPorts(text, "port \(port) is given twice") }
            ports.append(port)
        }
        guard ports.count <= connections else {
            throw .invalidPorts(
                text,
                "\(ports.count) ports for \(connections) connections; every port needs at least one connection"
            )
        }
        return ports
    }
}
