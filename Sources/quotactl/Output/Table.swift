/// A plain-text table: every column padded to its widest cell, columns two spaces apart, no trailing spaces.
///
/// Widths count characters (grapheme clusters), which aligns ASCII and most accented text; East Asian wide
/// characters take two terminal cells and can shift later columns, which the table accepts.
struct Table {
    /// The column titles, or `nil` for a table of bare rows.
    var header: [String]?
    var rows: [[String]]

    init(header: [String]? = nil, rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// The table without the columns whose cells are all empty (a header row is kept only with its column).
    func droppingEmptyColumns() -> Table {
        let columnCount = self.rows.map(\.count).max() ?? 0
        let kept = (0..<columnCount).filter { column in
            self.rows.contains { column < $0.count && !$0[column].isEmpty }
        }
        func keep(_ row: [String]) -> [String] { kept.filter { $0 < row.count }.map { row[$0] } }
        return Table(header: self.header.map(keep), rows: self.rows.map(keep))
    }

    /// The table as lines of text, header first.
    func lines() -> [String] {
        let all = (self.header.map { [$0] } ?? []) + self.rows
        let columnCount = all.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columnCount)
        for row in all {
            for (column, cell) in row.enumerated() {
                widths[column] = max(widths[column], cell.count)
            }
        }
        return all.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                if column > 0 { line += "  " }
                line += cell
                if column < row.count - 1 {
                    line += String(repeating: " ", count: widths[column] - cell.count)
                }
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
