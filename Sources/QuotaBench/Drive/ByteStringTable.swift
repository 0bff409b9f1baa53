import NIOCore

/// Many short byte strings (pre-encoded requests or pieces of them) in one array, by index, so that a driver
/// copies one into a request without a `String`, an allocation or a reference count per string.
struct ByteStringTable: Sendable {
    private var bytes: [UInt8] = []
    /// `ends[i]` is where string i ends in ``bytes``; it starts where string i - 1 ends.
    private var ends: [Int] = []

    /// Creates an empty table.
    init() {}

    /// The number of strings.
    var count: Int { self.ends.count }

    /// Appends a string; its index is the ``count`` before the call.
    mutating func append(_ string: some Sequence<UInt8>) {
        self.bytes.append(contentsOf: string)
        self.ends.append(self.bytes.count)
    }

    /// The length of string `index`, in bytes.
    func length(of index: Int) -> Int {
        self.ends[index] - (index == 0 ? 0 : self.ends[index - 1])
    }

    /// The bytes of string `index`.
    func bytes(of index: Int) -> ArraySlice<UInt8> {
        self.bytes[(index == 0 ? 0 : self.ends[index - 1])..<self.ends[index]]
    }

    /// Appends string `index` to `buffer`.
    func write(_ index: Int, into buffer: inout ByteBuffer) {
        let start = index == 0 ? 0 : self.ends[index - 1]
        let end = self.ends[index]
        self.bytes.withUnsafeBytes { all in
            _ = buffer.writeBytes(UnsafeRawBufferPointer(rebasing: all[start..<end]))
        }
    }
}
