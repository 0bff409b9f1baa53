import Testing

@testable import QuotaBench

/// The open loop's fixed timetable, and the tickets the schedule hands out from it.
struct OpenLoopTimetableTests {
    @Test(arguments: [1000.0, 3.0, 7777.0, 250_000.0])
    func scheduledSendTimesAreEvenlySpaced(rate: Double) {
        let timetable = OpenLoopTimetable(requestsPerSecond: rate)
        let interval = 1e9 / rate
        #expect(timetable.offset(ofRequest: 0) == .zero)
        for index in 0..<10000 {
            let gap = timetable.offset(ofRequest: index + 1) - timetable.offset(ofRequest: index)
            let nanoseconds = Double(gap.components.seconds) * 1e9 + Double(gap.components.attoseconds) / 1e9
            #expect(abs(nanoseconds - interval) <= 1, "gap after request \(index)")
        }
    }

    @Test func theTimetableDoesNotDrift() {
        let timetable = OpenLoopTimetable(requestsPerSecond: 3)
        #expect(timetable.offset(ofRequest: 3) == .seconds(1))
        #expect(timetable.offset(ofRequest: 3_000_000) == .seconds(1_000_000))
    }

    @Test func ticketsFollowTheTimetableWhateverTheTimeTheyAreTaken() throws {
        let start = ContinuousClock.now
        let schedule = LoadSchedule(
            start: start,
            warmup: .milliseconds(10),
            duration: .milliseconds(100),
            requestLimit: nil,
            timetable: OpenLoopTimetable(requestsPerSecond: 1000)
        )
        var tickets: [Ticket] = []
        // Taken late, long after their slots: the slots do not move.
        while let ticket = schedule.next(now: start + .seconds(5)) { tickets.append(ticket) }
        #expect(tickets.count == 110)
        for (index, ticket) in tickets.enumerated() {
            #expect(ticket.scheduled == start + .milliseconds(index))
            #expect(ticket.recorded == (index >= 10))
        }
    }

    @Test func aRequestLimitEndsTheScheduleAfterThatManyRecordedTickets() {
        let start = ContinuousClock.now
        let schedule = LoadSchedule(
            start: start,
            warmup: .zero,
            duration: .seconds(60),
            requestLimit: 25,
            timetable: nil
        )
        var recorded = 0
        while let ticket = schedule.next(now: start + .milliseconds(1)) {
            #expect(ticket.scheduled == nil)
            if ticket.recorded { recorded += 1 }
        }
        #expect(recorded == 25)
        #expect(schedule.next(now: start) == nil)
    }

    @Test func aClosedLoopRecordsOnlyAfterTheWarmupAndStopsAtTheEnd() {
        let start = ContinuousClock.now
        let schedule = LoadSchedule(
            start: start,
            warmup: .seconds(1),
            duration: .seconds(2),
            requestLimit: nil,
            timetable: nil
        )
        #expect(schedule.next(now: start + .milliseconds(500))?.recorded == false)
        #expect(schedule.next(now: start + .milliseconds(1500))?.recorded == true)
        #expect(schedule.next(now: start + .seconds(3)) == nil)
        #expect(schedule.next(now: start + .milliseconds(1500)) == nil)
    }
}
