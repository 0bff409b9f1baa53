import Foundation
import Histogram
import NIOCore
import NIOEmbedded
import Testing

@testable import QuotaBench

/// A ``LoadDriver`` in an embedded channel: what it writes, how it answers replies, and what it hands over.
struct LoadDriverTests {
    let tenants = TenantTable(
        count: 3,
        limits: LimitSettings(limit: 100, exhaustFraction: 0, period: .minute),
        seed: 1
    )

    func driver(pipeline: Int) -> (LoadDriver<RESPDialect>, EmbeddedChannel) {
        let commands = EvalshaCommands(
            consumeSHA: String(repeating: "c", count: 40),
            checkSHA: String(repeating: "d", count: 40),
            tenants: self.tenants,
            period: .minute
        )
        let workload = WorkloadGenerator(
            seed: 1,
            lane: 0,
            sampler: TenantSampler(tenants: 3, distribution: .uniform),
            mix: try! OperationMix(parsing: "consume=1"),
            tenants: self.tenants
        )
        let driver = LoadDriver(
            dialect: RESPDialect(commands: commands, period: .minute),
            workload: workload,
            connectionIndex: 0,
            pipeline: pipeline
        )
        let channel = EmbeddedChannel(handler: driver)
        return (driver, channel)
    }

    func plan(requests: Int) -> LoadPlan {
        LoadPlan(
            start: .now,
            warmup: .zero,
            duration: .seconds(60),
            requestLimit: requests,
            timetable: nil,
            connections: 1
        )
    }

    /// The commands written since the last look, as text, one per `*7`.
    func commands(_ channel: EmbeddedChannel) throws -> [String] {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text.components(separatedBy: "*7\r\n").dropFirst().map { "*7\r\n" + $0 }
    }

    @Test func aClosedLoopKeepsThePipelineFullAndFlushesOncePerBurst() throws {
        let (driver, channel) = self.driver(pipeline: 2)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        let finished = channel.eventLoop.makePromise(of: RunStatistics.self)
        driver.start(plan: self.plan(requests: 5), finished: finished)
        #expect(try self.commands(channel).count == 2)
        // Two reads in one burst: two more commands, in one flush, at the end of the burst.
        let pipeline = channel.pipeline.syncOperations
        pipeline.fireChannelRead(NIOAny(ByteBuffer(string: "*2\r\n:1\r\n:1\r\n")))
        pipeline.fireChannelRead(NIOAny(ByteBuffer(string: "*2\r\n:0\r\n:100\r\n")))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        pipeline.fireChannelReadComplete()
        let flushed = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        let written = String(buffer: flushed).components(separatedBy: "*7\r\n").dropFirst()
        #expect(written.count == 2)
        #expect(written.allSatisfy { $0.contains("EVALSHA\r\n$40\r\n" + String(repeating: "c", count: 40)) })
        // A reply split over two reads.
        try channel.writeInbound(ByteBuffer(string: "*2\r\n:1"))
        try channel.writeInbound(ByteBuffer(string: "\r\n:2\r\n-ERR busy\r\n"))
        #expect(try self.commands(channel).count == 1)
        try channel.writeInbound(ByteBuffer(string: "*2\r\n:1\r\n:3\r\n"))
        #expect(try self.commands(channel).isEmpty)
        let statistics = try finished.futureResult.wait()
        #expect(statistics.allowed == 3)
        #expect(statistics.denied == 1)
        #expect(statistics.errors == 1)
        #expect(statistics.errorMessages == ["ERR busy"])
        #expect(statistics.latency.totalCount == 5)
        _ = try channel.finish()
    }

    @Test func requestsOutstandingWhenTheConnectionClosesAreErrors() throws {
        let (driver, channel) = self.driver(pipeline: 3)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        let finished = channel.eventLoop.makePromise(of: RunStatistics.self)
        driver.start(plan: self.plan(requests: 100), finished: finished)
        #expect(try self.commands(channel).count == 3)
        try channel.writeInbound(ByteBuffer(string: "*2\r\n:1\r\n:1\r\n"))
        try channel.close().wait()
        let statistics = try finished.futureResult.wait()
        #expect(statistics.allowed == 1)
        #expect(statistics.errors == 3)
        #expect(statistics.errorMessages == ["the connection closed before the reply"])
        #expect(statistics.latency.totalCount == 1)
    }

    @Test func aReplyWithNothingOutstandingClosesTheConnection() throws {
        let (driver, channel) = self.driver(pipeline: 1)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        let finished = channel.eventLoop.makePromise(of: RunStatistics.self)
        driver.start(plan: self.plan(requests: 1), finished: finished)
        try channel.writeInbound(ByteBuffer(string: "*2\r\n:1\r\n:1\r\n*2\r\n:1\r\n:2\r\n"))
        let statistics = try finished.futureResult.wait()
        #expect(statistics.allowed == 1)
        #expect(!channel.isActive)
    }
}
