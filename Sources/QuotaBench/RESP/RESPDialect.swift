import Foundation
import NIOCore

/// RESP2 for a ``LoadDriver``: pre-encoded `EVALSHA` commands; replies come in order, and the usual script reply
/// `*2 :0|1 :usage` is read in place, while anything else goes through ``RESPDecoder``.
struct RESPDialect: LoadDialect, Sendable {
    static var answersInOrder: Bool { true }
    static var connectionClosedReason: String { RESPConnectionError.connectionClosed.description }

    let commands: EvalshaCommands
    let period: LimitPeriod
    private let decoder = RESPDecoder()
    /// The digits of the current period's start, in seconds since the Unix epoch (UTC).
    private var periodStart: [UInt8] = []
    /// When the current period ends, on the bench's clock; the period is read again from the wall clock then.
    private var periodEnd: ContinuousClock.Instant?

    /// Creates the dialect that sends `commands` for limits of `period`.
    init(commands: EvalshaCommands, period: LimitPeriod) {
        self.commands = commands
        self.period = period
    }

    mutating func write(
        _ operation: BenchOperation,
        tenant: Int,
        tag: UInt64,
        now: ContinuousClock.Instant,
        into buffer: inout ByteBuffer
    ) {
        if self.periodEnd.map({ now >= $0 }) ?? true { self.enterPeriod(now: now) }
        self.commands.write(operation, tenant: tenant, periodStart: self.periodStart, into: &buffer)
    }

    mutating func nextAnswer(from buffer: inout ByteBuffer) throws(LoadStreamError) -> LoadAnswer? {
        switch ScriptReplyScan(buffer) {
        case .incomplete:
            return nil
        case .reply(let admitted, let length):
            buffer.moveReaderIndex(forwardBy: length)
            return .answered(tag: 0, admitted ? .allowed : .denied)
        case .other:
            do {
                guard let value = try self.decoder.decode(&buffer) else { return nil }
                return .answered(tag: 0, Self.outcome(of: value))
            } catch {
                throw LoadStreamError(reason: RESPConnectionError.protocolError("\(error)").description)
            }
        }
    }

    /// `{1, usage}` is allowed, `{0, usage}` denied, an error reply an error.
    static func outcome(of reply: RESPValue) -> RequestOutcome {
        switch reply {
        case .array(let elements?) where elements.first == .integer(1): .allowed
        case .array(let elements?) where elements.first == .integer(0): .denied
        case .error(let message): .failed(message)
        default: .failed("unexpected reply \(reply)")
        }
    }

    /// Reads the period that contains the wall-clock time, and when it ends on the bench's clock.
    private mutating func enterPeriod(now: ContinuousClock.Instant) {
        let wallClock = Date().timeIntervalSince1970
        let start = self.period.start(containing: Int64(wallClock))
        self.periodStart = Array(String(start).utf8)
        let remaining = Double(start + self.period.seconds) - wallClock
        self.periodEnd = now + .nanoseconds(Int64((remaining * 1e9).rounded(.down)))
    }
}
