import NIOCore

/// The `EVALSHA` commands of a RESP run, encoded once before the run in pieces, so that sending one is a few
/// copies: `EVALSHA <sha> 1 q:{tenant}:api_calls:{period_start} 1 <limit> <ttl>`, where only the period start
/// changes during the run.
struct EvalshaCommands: Sendable {
    /// `*7`, `EVALSHA`, the consume script's SHA1 and the key count `1`, as RESP.
    private let consumeHead: [UInt8]
    /// The same with the check script's SHA1.
    private let checkHead: [UInt8]
    /// By tenant index: the key up to the period start, `q:{tenant}:api_calls:` (its bulk-string length is
    /// written with each request, as the period start's length is not known in advance).
    private let keyStems: ByteStringTable
    /// By tenant index: CR LF ending the key, then the amount `1`, the tenant's limit and the TTL, as RESP.
    private let tails: ByteStringTable

    /// Encodes the commands of `tenants` for the scripts `consumeSHA` and `checkSHA` and limits of `period`.
    init(consumeSHA: String, checkSHA: String, tenants: TenantTable, period: LimitPeriod) {
        self.consumeHead = Self.head(sha: consumeSHA)
        self.checkHead = Self.head(sha: checkSHA)
        var stems = ByteStringTable()
        var tails = ByteStringTable()
        for index in 0..<tenants.count {
            stems.append("q:\(tenants.names[index]):\(BenchConfiguration.metric):".utf8)
            var tail = ByteBuffer(string: "\r\n")
            for argument in ["1", String(tenants.limits[index]), String(period.seconds)] {
                tail.writeString("$\(argument.utf8.count)\r\n\(argument)\r\n")
            }
            tails.append(tail.readableBytesView)
        }
        self.keyStems = stems
        self.tails = tails
    }

    /// Appends the command of `operation` (consume or check) for tenant `tenant` in the period that starts at
    /// `periodStart`, the decimal digits of the period start in seconds.
    func write(_ operation: BenchOperation, tenant: Int, periodStart: [UInt8], into buffer: inout ByteBuffer) {
        switch operation {
        case .consume: buffer.writeBytes(self.consumeHead)
        case .check: buffer.writeBytes(self.checkHead)
        case .status: preconditionFailure("the configuration refuses status in a RESP mix")
        }
        buffer.writeInteger(UInt8(ascii: "$"))
        Self.writeDecimal(self.keyStems.length(of: tenant) + periodStart.count, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "\r"))
        buffer.writeInteger(UInt8(ascii: "\n"))
        self.keyStems.write(tenant, into: &buffer)
        buffer.writeBytes(periodStart)
        self.tails.write(tenant, into: &buffer)
    }

    private static func head(sha: String) -> [UInt8] {
        var buffer = ByteBuffer(string: "*7\r\n$7\r\nEVALSHA\r\n")
        buffer.writeString("$\(sha.utf8.count)\r\n\(sha)\r\n$1\r\n1\r\n")
        return Array(buffer.readableBytesView)
    }

    /// Appends `value` (at least 0) in decimal, without building a `String`.
    private static func writeDecimal(_ value: Int, into buffer: inout ByteBuffer) {
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
