/// The host check of `--host`: the bench only ever targets this machine.
public enum LoopbackHost {
    /// Whether `host` is `localhost`, an IPv4 address in 127.0.0.0/8 (four dotted decimal parts) or the IPv6
    /// loopback address `::1` (in any spelling, with or without brackets).
    public static func isLoopback(_ host: String) -> Bool {
        if host.lowercased() == "localhost" { return true }
        if let octets = self.ipv4Octets(host) { return octets[0] == 127 }
        var text = Substring(host)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        return self.ipv6Groups(text) == [0, 0, 0, 0, 0, 0, 0, 1]
    }

    /// The four octets of a dotted-decimal IPv4 address, or `nil` when `text` is not one.
    static func ipv4Octets(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCIIDigit), let octet = UInt8(part) else {
                return nil
            }
            octets.append(octet)
        }
        return octets
    }

    /// The eight 16-bit groups of a textual IPv6 address without an embedded IPv4 part, or `nil`.
    static func ipv6Groups(_ text: Substring) -> [UInt16]? {
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        func groups(_ half: Substring) -> [UInt16]? {
            if half.isEmpty { return [] }
            var result: [UInt16] = []
            for group in half.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 8 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { self >= "0" && self <= "9" }
}
