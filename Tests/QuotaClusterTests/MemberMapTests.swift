import Testing

@testable import QuotaCluster

@Suite struct MemberMapTests {
    static let ids = (1...6).map { try! NodeID("n\($0)") } + [try! NodeID("a-member-id-longer-than-15-bytes")]

    /// Random operations (get, set, clear by `nil`, change in place, change through `default:`, remove) applied to a
    /// map and to a `Dictionary` give the same answers and the same contents, for 16 seeds.
    @Test(arguments: 0..<16)
    func behavesLikeADictionary(seed: UInt64) {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func next(_ bound: Int) -> Int {
            // xorshift64 (Marsaglia 2003): enough to draw test operations reproducibly from the seed.
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        var map: MemberMap<[Int]> = [:]
        var reference: [NodeID: [Int]] = [:]
        for step in 0..<2_000 {
            let id = Self.ids[next(Self.ids.count)]
            switch next(6) {
            case 0:
                #expect(map[id] == reference[id])
                #expect(map.contains(id) == (reference[id] != nil))
            case 1:
                map[id] = [step]
                reference[id] = [step]
            case 2:
                map[id] = nil
                reference[id] = nil
            case 3:
                map[id]?.append(step)
                reference[id]?.append(step)
            case 4:
                map[id, default: [-1]].append(step)
                reference[id, default: [-1]].append(step)
            default: #expect(map.removeValue(forKey: id) == reference.removeValue(forKey: id))
            }
            #expect(map.isEmpty == reference.isEmpty)
        }
        for id in Self.ids { #expect(map[id] == reference[id]) }
    }

    @Test func aLiteralKeepsTheLastValueOfARepeatedID() {
        let map: MemberMap<Int> = [Self.ids[0]: 1, Self.ids[1]: 2, Self.ids[0]: 3]
        #expect(map[Self.ids[0]] == 3)
        #expect(map[Self.ids[1]] == 2)
        #expect(map[Self.ids[2]] == nil)
    }

    @Test func readingWithADefaultInsertsNothing() {
        let map: MemberMap<Int> = [:]
        #expect(map[Self.ids[0], default: 7] == 7)
        #expect(map[Self.ids[0]] == nil)
        #expect(map.isEmpty)
    }

    @Test func aValueChangedInPlaceIsNotCopied() {
        var values: [Int] = [1, 2, 3]
        values.reserveCapacity(16)
        var map: MemberMap<[Int]> = [Self.ids[0]: values]
        values = []
        let before = map[Self.ids[0]]!.withUnsafeBufferPointer { $0.baseAddress }
        map[Self.ids[0]]?.append(4)
        map[Self.ids[0], default: []].append(5)
        let after = map[Self.ids[0]]!.withUnsafeBufferPointer { $0.baseAddress }
        #expect(map[Self.ids[0]] == [1, 2, 3, 4, 5])
        #expect(before == after)
    }
}
