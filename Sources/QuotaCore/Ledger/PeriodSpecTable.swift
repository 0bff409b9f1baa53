/// The distinct period layouts a ledger has seen, each stored once and named by its index, so that limits and
/// counters hold a 4-byte index instead of a ``PeriodSpec`` (about 60 bytes) each.
///
/// Layouts are never removed: there are few distinct ones (unit, billing anchor, time zone).
struct PeriodSpecTable: Sendable {
    /// The index of a layout in the table.
    typealias Index = UInt32

    private var specs: [PeriodSpec] = []
    private var indices: [PeriodSpec: Index] = [:]

    /// The layout at `index`.
    subscript(index: Index) -> PeriodSpec { self.specs[Int(index)] }

    /// The index of `spec`, added to the table when it is new.
    mutating func intern(_ spec: PeriodSpec) -> Index {
        if let index = self.indices[spec] { return index }
        let index = Index(self.specs.count)
        self.specs.append(spec)
        self.indices[spec] = index
        return index
    }
}
