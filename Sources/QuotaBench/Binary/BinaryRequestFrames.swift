import NIOCore
import QuotaCore
import QuotaWire

/// Every QuotaWire request frame the bench can send, encoded once before the run by ``WireCodec``: per tenant, a
/// consume frame (a check differs only in its kind byte) and a status frame. Sending one is a copy and two patches:
/// the kind and the request id.
struct BinaryRequestFrames: Sendable {
    /// Where the kind byte and the request id sit in a frame header (docs/wire-protocol.md).
    static let kindOffset = 3
    static let requestIDOffset = 6

    /// Consume frames with request id 0, by tenant index: the tenant, 1 × ``BenchConfiguration/metric``.
    private let usageFrames: ByteStringTable
    /// Status frames with request id 0, by tenant index; empty when the mix has no status.
    private let statusFrames: ByteStringTable

    /// Encodes the frames of `tenants` that `operations` need.
    init(tenants: TenantTable, operations: Set<BenchOperation>) {
        var usage = ByteStringTable()
        var status = ByteStringTable()
        let needsUsage = !operations.isDisjoint(with: [.consume, .check])
        let item = WireItem(metric: BenchConfiguration.metric, amount: 1)
        for name in tenants.names {
            if needsUsage {
                usage.append(Self.encode(WireRequest(requestID: 0, operation: .consume, tenant: name, items: [item])))
            }
            if operations.contains(.status) {
                status.append(Self.encode(WireRequest(requestID: 0, operation: .status, tenant: name, items: [])))
            }
        }
        self.usageFrames = usage
        self.statusFrames = status
    }

    /// Appends the frame of `operation` for tenant `tenant` with request id `requestID`.
    func write(_ operation: BenchOperation, tenant: Int, requestID: UInt64, into buffer: inout ByteBuffer) {
        let start = buffer.writerIndex
        switch operation {
        case .consume:
            self.usageFrames.write(tenant, into: &buffer)
        case .check:
            self.usageFrames.write(tenant, into: &buffer)
            buffer.setInteger(WireFrameKind.check.rawValue, at: start + Self.kindOffset)
        case .status:
            self.statusFrames.write(tenant, into: &buffer)
        }
        buffer.setInteger(requestID, at: start + Self.requestIDOffset)
    }

    private static func encode(_ request: WireRequest) -> ByteBufferView {
        var buffer = ByteBuffer()
        // The bench's tenant names and metric are short ASCII: every field fits.
        try! WireCodec.encode(request, into: &buffer)
        return buffer.readableBytesView
    }
}
