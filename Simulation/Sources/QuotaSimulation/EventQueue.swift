/// A priority queue of simulated events ordered by `(time, sequence)`: the time they fire at, then the order
/// they were scheduled in, so two events at the same instant always run in the same order.
struct EventQueue<Event> {
    private struct Entry {
        let time: Int64
        let sequence: UInt64
        let event: Event
    }

    private var heap: [Entry] = []
    private var nextSequence: UInt64 = 0

    var count: Int { self.heap.count }
    var isEmpty: Bool { self.heap.isEmpty }

    /// The time of the earliest event.
    var nextTime: Int64? { self.heap.first?.time }

    mutating func schedule(_ event: Event, at time: Int64) {
        self.heap.append(Entry(time: time, sequence: self.nextSequence, event: event))
        self.nextSequence += 1
        var child = self.heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(self.heap[child], self.heap[parent]) else { break }
            self.heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest event with its time.
    mutating func pop() -> (time: Int64, event: Event)? {
        guard !self.heap.isEmpty else { return nil }
        let last = self.heap.count - 1
        self.heap.swapAt(0, last)
        let entry = self.heap.removeLast()
        var parent = 0
        let count = self.heap.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { break }
            var smallest = left
            let right = left + 1
            if right < count, Self.before(self.heap[right], self.heap[left]) { smallest = right }
            guard Self.before(self.heap[smallest], self.heap[parent]) else { break }
            self.heap.swapAt(smallest, parent)
            parent = smallest
        }
        return (entry.time, entry.event)
    }

    private static func before(_ lhs: Entry, _ rhs: Entry) -> Bool {
        lhs.time != rhs.time ? lhs.time < rhs.time : lhs.sequence < rhs.sequence
    }
}
