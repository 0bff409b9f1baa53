import Testing

@testable import QuotaBench

/// The bounds the drivers share: the open loop's recorded part of the timetable and the closed loop's request bound.
struct LoadPlanTests {
    @Test(arguments: [(1000.0, 0.01, 10), (3.0, 1.0, 3), (7.0, 0.5, 4), (2000.0, 0.0, 0)])
    func recordingStartsWithTheFirstRequestDueAfterTheWarmup(rate: Double, warmup: Double, first: Int) {
        let plan = LoadPlan(
            start: .now,
            warmup: .milliseconds(Int64(warmup * 1000)),
            duration: .seconds(1),
            requestLimit: nil,
            timetable: OpenLoopTimetable(requestsPerSecond: rate),
            connections: 4
        )
        #expect(plan.firstRecordedIndex == first)
    }

    @Test func theTimetableEndsAtTheEndOrAfterTheRecordedRequests() throws {
        let start = ContinuousClock.now
        let timed = LoadPlan(
            start: start,
            warmup: .milliseconds(10),
            duration: .milliseconds(100),
            requestLimit: nil,
            timetable: OpenLoopTimetable(requestsPerSecond: 1000),
            connections: 3
        )
        #expect(timed.due(ofRequest: 109) == start + .milliseconds(109))
        #expect(timed.due(ofRequest: 110) == nil)
        let counted = LoadPlan(
            start: start,
            warmup: .milliseconds(10),
            duration: .seconds(100),
            requestLimit: 25,
            timetable: OpenLoopTimetable(requestsPerSecond: 1000),
            connections: 3
        )
        #expect(counted.due(ofRequest: 34) == start + .milliseconds(34))
        #expect(counted.due(ofRequest: 35) == nil)
    }

    @Test func aClosedLoopHandsOutExactlyTheRequestBound() {
        let plan = LoadPlan(
            start: .now,
            warmup: .zero,
            duration: .seconds(1),
            requestLimit: 3,
            timetable: nil,
            connections: 2
        )
        #expect((0..<5).map { _ in plan.claimRecordedRequest() } == [true, true, true, false, false])
    }
}
