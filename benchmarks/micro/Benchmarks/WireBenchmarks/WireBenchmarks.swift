import Benchmark
import NIOCore
import QuotaWire

/// QuotaWire frames without I/O: a one-item consume request and its decision response, encoded into a reused
/// buffer and decoded from a buffer holding one frame (frame split, then body). One scaled iteration is one frame.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .cpuTotal, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(5),
        maxIterations: 1_000_000
    )

    let request = WireRequest(
        requestID: 7,
        operation: .consume,
        tenant: "tenant-12345",
        items: [WireItem(metric: "api_calls", amount: 1)]
    )
    let response = WireResponse(
        requestID: 7,
        body: .decision(
            WireDecision(
                allowed: true,
                replayed: false,
                tenant: "tenant-12345",
                servedBy: "n1",
                eventID: nil,
                retryAfterMs: nil,
                results: [
                    WireItemResult(
                        metric: "api_calls",
                        allowed: true,
                        enforcement: .hard,
                        usage: 41,
                        limit: 1_000,
                        remaining: 959,
                        exceeded: false,
                        overage: 0,
                        periodStartMs: 1_800_000_000_000,
                        periodEndMs: 1_800_000_060_000
                    )
                ]
            )
        )
    )

    Benchmark("Wire encode request (consume, 1 item)") { benchmark in
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        for _ in benchmark.scaledIterations {
            buffer.clear()
            try WireCodec.encode(request, into: &buffer)
            blackHole(buffer.readableBytes)
        }
    }
    Benchmark("Wire decode request (consume, 1 item)") { benchmark in
        var encoded = ByteBufferAllocator().buffer(capacity: 256)
        try WireCodec.encode(request, into: &encoded)
        var decoder = WireFrameDecoder()
        for _ in benchmark.scaledIterations {
            var buffer = encoded
            guard let frame = try decoder.decode(buffer: &buffer) else { fatalError("an encoded frame is whole") }
            blackHole(try WireCodec.decodeRequest(frame))
        }
    }
    Benchmark("Wire encode response (decision, 1 item)") { benchmark in
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        for _ in benchmark.scaledIterations {
            buffer.clear()
            try WireCodec.encode(response, into: &buffer)
            blackHole(buffer.readableBytes)
        }
    }
    Benchmark("Wire decode response (decision, 1 item)") { benchmark in
        var encoded = ByteBufferAllocator().buffer(capacity: 256)
        try WireCodec.encode(response, into: &encoded)
        var decoder = WireFrameDecoder()
        for _ in benchmark.scaledIterations {
            var buffer = encoded
            guard let frame = try decoder.decode(buffer: &buffer) else { fatalError("an encoded frame is whole") }
            blackHole(try WireCodec.decodeResponse(frame))
        }
    }
}
