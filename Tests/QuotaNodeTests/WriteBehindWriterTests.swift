import QuotaCore
import QuotaStorage
import Synchronization
import Testing

@testable import QuotaNode

/// How many batches one drain of the write-behind writes while changes keep coming.
@Suite(.timeLimit(.minutes(1))) struct WriteBehindWriterTests {
    /// A SQLite store that, during each of its first `changesDuringPersist` writes, makes one more change on the
    /// engine: the load that goes on while a batch is being written.
    final class BusyStore: QuotaStore {
        let base: SQLiteQuotaStore
        let engine = Mutex<QuotaEngine?>(nil)
        private let persists = Mutex(0)
        private let changesDuringPersist: Int

        init(path: String, changesDuringPersist: Int) throws {
            self.base = try SQLiteQuotaStore(path: path)
            self.changesDuringPersist = changesDuringPersist
        }

        var persistCount: Int { self.persists.withLock { $0 } }

        func beginIncarnation() async throws -> Int64 { try await self.base.beginIncarnation() }

        func recover(now: Timestamp, idempotencySince: Timestamp) async throws -> RecoveredState {
            try await self.base.recover(now: now, idempotencySince: idempotencySince)
        }

        func persist(_ batch: FlushBatch) async throws {
            let count = self.persists.withLock { count -> Int in
                count += 1
                return count
            }
            if count <= self.changesDuringPersist, let engine = self.engine.withLock({ $0 }) {
                _ = try await consume(engine, "acme", "api_calls", 1)
            }
            try await self.base.persist(batch)
        }

        func events(_ query: EventQuery) async throws -> EventPage { try await self.base.events(query) }

        func records(_ query: RecordQuery) async throws -> [UsageRecord] { try await self.base.records(query) }

        func periodSummaries(tenant: TenantID?) async throws -> [StoredPeriodSummary] {
            try await self.base.periodSummaries(tenant: tenant)
        }
    }

    func busyEngine(changesDuringPersist: Int) async throws -> (QuotaEngine, BusyStore) {
        let store = try BusyStore(path: try temporaryDatabasePath(), changesDuringPersist: changesDuringPersist)
        let engine = try await makeEngine(store: store, clock: ManualClock())
        store.engine.withLock { $0 = engine }
        _ = try await consume(engine, "acme", "api_calls", 1)
        return (engine, store)
    }

    @Test func aFlusherWakeUpWritesOneBatchAndLeavesWhatChangedMeanwhileForTheNext() async throws {
        let (engine, store) = try await self.busyEngine(changesDuringPersist: 3)
        #expect(await engine.writer.drain(engine, untilEmpty: false))
        #expect(store.persistCount == 1)
        #expect(engine.unflushedCount > 0)
        #expect(await engine.writer.drain(engine, untilEmpty: false))
        #expect(store.persistCount == 2)
        #expect(engine.unflushedCount > 0)
    }

    @Test func anExplicitFlushGoesOnUntilNothingIsPending() async throws {
        let (engine, store) = try await self.busyEngine(changesDuringPersist: 3)
        #expect(await engine.flush())
        #expect(store.persistCount == 4)
        #expect(engine.unflushedCount == 0)
        #expect(try await engine.records(RecordQuery(tenant: TenantID("acme"))).first?.usage == 4)
    }
}
