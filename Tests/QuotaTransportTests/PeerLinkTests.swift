import Logging
import NIOCore
import NIOPosix
import QuotaTransport
import QuotaWire
import Testing

@Suite(.timeLimit(.minutes(1))) struct PeerLinkTests {
    @Test func aLinkDeliversFramesInOrder() async throws {
        let peers = RecordingPeerHandler()
        let changes = try await withPeerServer(peerHandler: peers) { port in
            try await withLink(port: port) { link, changes in
                try await waitUntil("the link is up", seen: "\(changes.all)") { changes.all == [true] }
                for index in 0..<2000 { link.send(ByteBuffer(string: "message-\(index)")) }
                try await waitUntil("every message arrives") { peers.count >= 2000 }
                return changes
            }
        }
        #expect(peers.strings == (0..<2000).map { "message-\($0)" })
        #expect(changes.all == [true, false])
    }

    @Test func clientRequestsWorkAlongsidePeerFrames() async throws {
        let peers = RecordingPeerHandler()
        try await withPeerServer(peerHandler: peers) { port in
            try await withLink(port: port) { link, changes in
                try await waitUntil("the link is up", seen: "\(changes.all)") { changes.all == [true] }
                try await withClient(port: port) { client in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for index in 0..<500 {
                                link.send(ByteBuffer(string: "m\(index)"))
                                if index % 50 == 0 { await Task.yield() }
                            }
                        }
                        for id in 1...200 as ClosedRange<UInt64> {
                            group.addTask {
                                let request = consume(id, tenant: "tenant-\(id)")
                                let response = try await client.send(request)
                                #expect(response == echo(request))
                            }
                        }
                        try await group.waitForAll()
                    }
                }
                try await waitUntil("every message arrives") { peers.count >= 500 }
            }
        }
        #expect(peers.strings == (0..<500).map { "m\($0)" })
    }

    @Test func theLinkFollowsTheServerDownAndBackUp() async throws {
        let first = RecordingPeerHandler()
        let firstServer = makePeerServer(peerHandler: first)
        let port = try await startBelowEphemeralRange(firstServer)
        let second = RecordingPeerHandler()
        let secondServer = makePeerServer(peerHandler: second)
        do {
            try await withLink(port: port) { link, changes in
                try await waitUntil("the link is up", seen: "\(changes.all)") { changes.all == [true] }
                link.send(ByteBuffer(string: "before"))
                try await waitUntil("the first message arrives") { first.count == 1 }

                try await firstServer.close()
                try await waitUntil("the link is down", seen: "\(changes.all)") { changes.all == [true, false] }
                for index in 0..<10 { link.send(ByteBuffer(string: "while-down-\(index)")) }

                // A new server on the same port: the link reconnects by itself.
                #expect(try await secondServer.start(host: "127.0.0.1", port: port) == port)
                try await waitUntil("the link is up again", seen: "\(changes.all)") {
                    changes.all == [true, false, true]
                }
                link.send(ByteBuffer(string: "after-1"))
                link.send(ByteBuffer(string: "after-2"))
                try await waitUntil("the later messages arrive") { second.count >= 2 }
            }
        } catch {
            try await firstServer.close()
            try await secondServer.close()
            throw error
        }
        try await secondServer.close()
        #expect(first.strings == ["before"])
        #expect(second.strings == ["after-1", "after-2"])
    }

    @Test func sendsWhileDownAreDroppedWithoutError() async throws {
        let port = try await unusedPort()
        let changes = ConnectionChanges()
        let link = PeerLink(host: "127.0.0.1", port: port, group: MultiThreadedEventLoopGroup.singleton) {
            changes.record($0)
        }
        link.send(ByteBuffer(string: "before-start"))
        link.start()
        for index in 0..<10 { link.send(ByteBuffer(string: "nobody-listens-\(index)")) }

        let peers = RecordingPeerHandler()
        let server = makePeerServer(peerHandler: peers)
        do {
            #expect(try await server.start(host: "127.0.0.1", port: port) == port)
            try await waitUntil("the link is up", seen: "\(changes.all)") { changes.all == [true] }
            link.send(ByteBuffer(string: "after-1"))
            link.send(ByteBuffer(string: "after-2"))
            try await waitUntil("the later messages arrive", seen: "\(changes.all), \(peers.strings)") {
                peers.count >= 2
            }
            await link.shutdown()
            link.send(ByteBuffer(string: "after-shutdown"))
            try await server.close()
        } catch {
            await link.shutdown()
            try await server.close()
            throw error
        }
        #expect(peers.strings == ["after-1", "after-2"])
        #expect(changes.all == [true, false])
    }

    @Test func aMebibyteBodyIsDeliveredIntact() async throws {
        var random = SystemRandomNumberGenerator()
        let large = ByteBuffer(bytes: (0..<1_048_576).map { _ in UInt8.random(in: 0...255, using: &random) })
        let peers = RecordingPeerHandler()
        try await withPeerServer(peerHandler: peers) { port in
            try await withLink(port: port) { link, changes in
                try await waitUntil("the link is up", seen: "\(changes.all)") { changes.all == [true] }
                link.send(ByteBuffer(string: "small"))
                link.send(large)
                link.send(ByteBuffer(string: "last"))
                try await waitUntil("every message arrives") { peers.count >= 3 }
            }
        }
        #expect(peers.received.count == 3)
        #expect(peers.received.first == ByteBuffer(string: "small"))
        #expect(peers.received.dropFirst().first == large)
        #expect(peers.received.last == ByteBuffer(string: "last"))
    }

    @Test func shutdownStopsReconnectingAndStartAfterItDoesNothing() async throws {
        let port = try await unusedPort()
        let changes = ConnectionChanges()
        let idle = PeerLink(host: "127.0.0.1", port: port, group: MultiThreadedEventLoopGroup.singleton) {
            changes.record($0)
        }
        await idle.shutdown()
        idle.start()
        await idle.shutdown()

        // Shut down while retrying against a port nobody listens on.
        let retrying = PeerLink(
            host: "127.0.0.1",
            port: port,
            group: MultiThreadedEventLoopGroup.singleton,
            initialBackoff: .milliseconds(1),
            maximumBackoff: .milliseconds(5)
        ) { changes.record($0) }
        retrying.start()
        retrying.send(ByteBuffer(string: "dropped"))
        await retrying.shutdown()

        // Nothing connects once shut down, even when a server appears.
        let peers = RecordingPeerHandler()
        let server = makePeerServer(peerHandler: peers)
        _ = try await server.start(host: "127.0.0.1", port: port)
        try await withLink(port: port) { link, linkChanges in
            // A third link proves the server is reachable; the shut-down ones stay silent.
            try await waitUntil("the third link is up") { linkChanges.all == [true] }
            link.send(ByteBuffer(string: "third"))
            try await waitUntil("its message arrives") { peers.count >= 1 }
        }
        try await server.close()
        #expect(peers.strings == ["third"])
        #expect(changes.all.isEmpty)
    }

    @Test func aPeerThatDoesNotReadMakesSendsDropInsteadOfQueueingWithoutBound() async throws {
        let peer = try await StalledPeer.start()
        let changes = ConnectionChanges()
        let link = PeerLink(
            host: "127.0.0.1",
            port: peer.port,
            group: MultiThreadedEventLoopGroup.singleton,
            maximumQueuedBytes: 2 * 1_048_576
        ) { changes.record($0) }
        link.start()
        do {
            try await waitUntil("the link is up", seen: "\(changes.all)") { changes.all == [true] }
            try await waitUntil("the peer has accepted the connection") { peer.acceptedCount == 1 }
            let filler = [UInt8](repeating: 0x61, count: 1_048_576 - 4)
            for index in 0..<64 as Range<UInt32> {
                var body = ByteBuffer()
                body.writeInteger(index)
                body.writeBytes(filler)
                link.send(body)
            }
            peer.startReading()
            // Probe until one gets through: then everything not dropped before it has arrived.
            try await waitUntil(
                "a probe arrives",
                seen: "\(changes.all), \(peer.acceptedCount) accepted, \(peer.received.count) received"
            ) {
                if peer.received.received.contains(where: { $0.readableBytes < 100 }) { return true }
                link.send(ByteBuffer(string: "probe"))
                return false
            }
            await link.shutdown()
        } catch {
            await link.shutdown()
            try await peer.close()
            throw error
        }
        try await peer.close()
        let large = peer.received.received.filter { $0.readableBytes >= 100 }
        let indices = large.compactMap { $0.getInteger(at: $0.readerIndex, as: UInt32.self) }
        #expect(!large.isEmpty)
        #expect(large.count < 64)
        #expect(large.allSatisfy { $0.readableBytes == 1_048_576 })
        #expect(indices == indices.sorted() && Set(indices).count == indices.count)
        #expect(changes.all == [true, false])
    }
}
