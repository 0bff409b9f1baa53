/// A map from member ids to values, for a node's state per peer (``ClusterNode``'s peers, replication links and
/// waiters): the few ids of a cluster are searched linearly instead of hashed.
///
/// Every request of a cluster looks up its peers several times (the follower's lease and link, its waiters, the
/// forwarding peer's state). A `Dictionary` hashes the id with SipHash for each lookup, which cost about 4.5% of a
/// loaded node's CPU in a three-node cluster; comparing ids (two words for an id of up to 15 UTF-8 bytes) is
/// cheaper for the tens of members a quota cluster has. The order of the entries is not part of the contract.
///
/// Values are changed in place, as in a `Dictionary`: `map[id]?.field = x` and `map[id, default: v].append(y)`
/// neither copy the value nor share its storage.
struct MemberMap<Value>: ExpressibleByDictionaryLiteral {
    private var keys: [NodeID] = []
    /// The value of each key, at the key's index; `nil` only while a modification that removes it is running.
    private var values: [Value?] = []

    /// A map of the given entries; a later entry for the same id replaces an earlier one.
    init(dictionaryLiteral elements: (NodeID, Value)...) {
        for (key, value) in elements { self[key] = value }
    }

    /// Whether the map holds no entry.
    var isEmpty: Bool { self.keys.isEmpty }

    /// The value of `key`, or `nil`; assigning `nil` removes the entry.
    subscript(key: NodeID) -> Value? {
        get { self.index(of: key).flatMap { self.values[$0] } }
        _modify {
            if let index = self.index(of: key) {
                yield &self.values[index]
                if self.values[index] == nil { self.remove(at: index) }
            } else {
                var value: Value? = nil
                yield &value
                if let value {
                    self.keys.append(key)
                    self.values.append(value)
                }
            }
        }
    }

    /// The value of `key`; modifying it first inserts `defaultValue` when the map holds no entry for `key`.
    subscript(key: NodeID, default defaultValue: @autoclosure () -> Value) -> Value {
        get { self[key] ?? defaultValue() }
        _modify {
            let index: Int
            if let found = self.index(of: key) {
                index = found
            } else {
                self.keys.append(key)
                self.values.append(defaultValue())
                index = self.keys.count - 1
            }
            yield &self.values[index]!
        }
    }

    /// Whether the map holds an entry for `key`.
    func contains(_ key: NodeID) -> Bool { self.index(of: key) != nil }

    /// Removes the entry of `key` and returns its value, or `nil` when there is none.
    @discardableResult
    mutating func removeValue(forKey key: NodeID) -> Value? {
        guard let index = self.index(of: key) else { return nil }
        return self.remove(at: index)
    }

    private func index(of key: NodeID) -> Int? {
        self.keys.withUnsafeBufferPointer { keys in
            for index in keys.indices where keys[index] == key { return index }
            return nil
        }
    }

    @discardableResult
    private mutating func remove(at index: Int) -> Value? {
        self.keys.remove(at: index)
        return self.values.remove(at: index)
    }
}

extension MemberMap: Sendable where Value: Sendable {}
