/// The share of each operation in the load, as integer weights, parsed from text such as
/// `consume=90,check=5,status=5`.
///
/// Weights are relative (they need not add up to 100). An operation left out, or with weight 0, is never sent.
public struct OperationMix: Hashable, Sendable, CustomStringConvertible {
    /// One operation and its weight.
    public struct Entry: Hashable, Sendable {
        /// The operation.
        public let operation: BenchOperation
        /// Its relative weight, at least 1.
        public let weight: Int
    }

    /// The operations with a non-zero weight, in the order given.
    public let entries: [Entry]
    /// The sum of the weights, at least 1.
    public let totalWeight: Int

    /// Parses `name=weight` pairs separated by commas.
    ///
    /// - Throws: ``BenchConfigurationError/invalidMix(_:_:)`` for an empty mix, an unknown operation, a weight that
    ///   is not a whole number from 0 to 1 000 000, an operation named twice, or weights that add up to 0.
    public init(parsing text: String) throws(BenchConfigurationError) {
        var entries: [Entry] = []
        var seen: Set<BenchOperation> = []
        let pairs = text.split(separator: ",", omittingEmptySubsequences: false)
        for pair in pairs {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw .invalidMix(text, "'\(pair)' is not of the form operation=weight")
            }
            let name = parts[0].trimmingSpaces
            guard let operation = BenchOperation(rawValue: name) else {
                let known = BenchOperation.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidMix(text, "unknown operation '\(name)' (known: \(known))")
            }
            guard let weight = Int(parts[1].trimmingSpaces), (0...1_000_000).contains(weight) else {
                throw .invalidMix(text, "the weight of \(name) must be a whole number from 0 to 1000000")
            }
            guard seen.insert(operation).inserted else {
                throw .invalidMix(text, "\(name) is given twice")
            }
            if weight > 0 { entries.append(Entry(operation: operation, weight: weight)) }
        }
        let total = entries.reduce(0) { $0 + $1.weight }
        guard total > 0 else { throw .invalidMix(text, "the weights add up to 0") }
        self.entries = entries
        self.totalWeight = total
    }

    /// The operations that can be drawn.
    public var operations: Set<BenchOperation> { Set(self.entries.map(\.operation)) }

    /// The operation for a random draw: `draw` modulo ``totalWeight`` picks an operation in proportion to the weights.
    public func operation(forDraw draw: UInt64) -> BenchOperation {
        var point = Int(draw % UInt64(self.totalWeight))
        for entry in self.entries {
            if point < entry.weight { return entry.operation }
            point -= entry.weight
        }
        preconditionFailure("a draw below the total weight always lands on an entry")
    }

    /// The mix as `operation=weight` pairs, for example `consume=90,check=5,status=5`.
    public var description: String {
        self.entries.map { "\($0.operation.rawValue)=\($0.weight)" }.joined(separator: ",")
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
