import Foundation
import Testing

@testable import QuotaCore

/// ``SmallArray`` behaves as an `Array` of the same elements, whichever way it was built and however many elements
/// it holds (the inline case of one element included).
@Suite struct SmallArrayTests {
    @Test("built from a sequence, an array, a literal or by appending, it holds the same elements as an Array")
    func matchesArrayOverRandomSeeds() {
        for seed in UInt64(1)...64 {
            var random = SplitMix64(seed: seed)
            let count = Int(random.next() % 6)
            let elements = (0..<count).map { _ in Int(random.next() % 100) }
            var appended = SmallArray<Int>()
            for element in elements { appended.append(element) }
            var reserved = SmallArray<Int>()
            reserved.reserveCapacity(count)
            for element in elements { reserved.append(element) }
            let built = [
                SmallArray(elements.lazy.map { $0 }), SmallArray(elements), appended, reserved,
                SmallArray(elements).mapElements { $0 },
            ]
            for small in built {
                #expect(Array(small) == elements, "seed \(seed)")
                #expect(small.count == elements.count, "seed \(seed)")
                #expect(small.isEmpty == elements.isEmpty, "seed \(seed)")
                #expect(small.first == elements.first, "seed \(seed)")
                #expect(small.description == elements.description, "seed \(seed)")
            }
        }
    }

    @Test("one element is kept inline; a second moves it into an array, in order")
    func oneElementInlineThenArray() {
        var small = SmallArray(single: 7)
        #expect(small.count == 1)
        #expect(small[0] == 7)
        if case .one = small.storage {} else { Issue.record("one element is not inline: \(small.storage)") }
        small.append(8)
        #expect(Array(small) == [7, 8])
        if case .many = small.storage {} else { Issue.record("two elements are not in an array: \(small.storage)") }
        let literal: SmallArray = [5]
        if case .one = literal.storage {} else { Issue.record("a one-element literal is not inline") }
        let empty: SmallArray<Int> = []
        #expect(empty.isEmpty)
        #expect(empty.startIndex == empty.endIndex)
    }

    @Test("reserved room is used: appending the reserved count keeps the one buffer")
    func appendingAfterReservingKeepsTheBuffer() {
        // The address of the array's buffer, without keeping a reference to it (which would make the next append
        // copy).
        func buffer(_ small: SmallArray<Int>) -> UnsafePointer<Int>? {
            guard case .many(let array) = small.storage else { return nil }
            return array.withUnsafeBufferPointer { $0.baseAddress }
        }
        for count in 2...9 {
            var small = SmallArray<Int>()
            small.reserveCapacity(count)
            let reserved = buffer(small)
            #expect(reserved != nil, "reserving \(count) made no array")
            for element in 0..<count { small.append(element) }
            #expect(buffer(small) == reserved, "appending \(count) reserved elements moved the buffer")
            #expect(Array(small) == Array(0..<count))
        }
        var one = SmallArray<Int>()
        one.reserveCapacity(1)
        one.append(7)
        if case .one = one.storage {} else { Issue.record("reserving one element made an array") }
    }

    @Test("equal and hashed as the elements in order, whatever the storage")
    func equalityAndHashingFollowTheElements() {
        var reserved = SmallArray<Int>()
        reserved.reserveCapacity(4)
        reserved.append(3)
        if case .many = reserved.storage {} else { Issue.record("one element after reserving is not in the array") }
        let inline = SmallArray(single: 3)
        #expect(reserved == inline)
        #expect(reserved.hashValue == inline.hashValue)
        #expect(SmallArray([1, 2]) != SmallArray([2, 1]))
        #expect(SmallArray([1, 2]) != SmallArray([1]))
        #expect(Set([SmallArray([1, 2]), SmallArray([1, 2]), SmallArray(single: 1)]).count == 2)
    }

    @Test("encodes and decodes as a JSON array, as Array does")
    func codableAsAnArray() throws {
        for elements in [[], [1], [1, 2, 3]] {
            let small = SmallArray(elements)
            let json = try JSONEncoder().encode(small)
            #expect(json == (try JSONEncoder().encode(elements)))
            #expect(try JSONDecoder().decode(SmallArray<Int>.self, from: json) == small)
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SmallArray<Int>.self, from: Data(#"{"a":1}"#.utf8))
        }
    }

    @Test("mapElements keeps the order and stops at the first error, which it throws")
    func mapElementsThrowsTheFirstError() {
        struct Refused: Error, Equatable { let value: Int }
        for elements in [[4], [1, 4, 5, 4]] {
            var seen: [Int] = []
            #expect(throws: Refused(value: 4)) {
                try SmallArray(elements).mapElements { (value: Int) throws(Refused) -> Int in
                    seen.append(value)
                    if value == 4 { throw Refused(value: value) }
                    return value
                }
            }
            #expect(seen == Array(elements.prefix { $0 != 4 }) + [4])
        }
        #expect(Array(SmallArray([1, 2, 3]).mapElements { $0 * 10 }) == [10, 20, 30])
    }
}
