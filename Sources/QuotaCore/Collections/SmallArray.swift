/// An ordered, random-access collection that keeps a single element inline and several in an `Array`.
///
/// Most quota requests carry one item; an `Array` of one element is a heap allocation (and its release) per
/// request at every layer it passes through, the binary frame's items and the domain request's. A `SmallArray` of
/// one element is not. Equality, hashing and `Codable` are those of the elements in order, as for `Array`: a small
/// array encodes as a JSON array.
///
/// It suits small elements: the inline element makes every value holding a small array as large as the element,
/// and every move of that value copies it. For a request's items (a metric and an amount, 24 bytes) that is cheaper
/// than the allocation; for a decision's results (about 90 bytes each, moved through the cluster core's outputs)
/// it measured slower than an `Array` (docs/performance.md), so they stay arrays.
///
/// The technique is the "small vector" of LLVM's `SmallVector` and SwiftNIO's `_TinyArray`, with an inline
/// capacity of one.
public struct SmallArray<Element> {
    @usableFromInline
    enum Storage {
        case one(Element)
        case many([Element])
    }

    @usableFromInline
    var storage: Storage

    /// An empty small array.
    @inlinable
    public init() { self.storage = .many([]) }

    /// A small array of the elements of `elements`, in order.
    @inlinable
    public init(_ elements: some Sequence<Element>) {
        var iterator = elements.makeIterator()
        guard let first = iterator.next() else {
            self.storage = .many([])
            return
        }
        guard let second = iterator.next() else {
            self.storage = .one(first)
            return
        }
        var array = [first, second]
        while let next = iterator.next() { array.append(next) }
        self.storage = .many(array)
    }

    /// A small array of the elements of `array`, which it keeps (without copying) unless it has exactly one.
    @inlinable
    public init(_ array: [Element]) {
        self.storage = array.count == 1 ? .one(array[0]) : .many(array)
    }

    /// A small array of one element, kept inline.
    @inlinable
    public init(single element: Element) { self.storage = .one(element) }

    /// Appends `element`; the second element moves the storage into an `Array`. An empty small array whose array
    /// has room (``reserveCapacity(_:)``) appends into that array, so the reserved buffer is used.
    @inlinable
    public mutating func append(_ element: Element) {
        switch self.storage {
        case .one(let first):
            self.storage = .many([first, element])
        case .many(var array):
            // Released from `storage` first, so that the array is uniquely referenced and grows in place.
            self.storage = .many([])
            if array.isEmpty && array.capacity == 0 {
                self.storage = .one(element)
            } else {
                array.append(element)
                self.storage = .many(array)
            }
        }
    }

    /// Makes room for `minimumCapacity` elements in an `Array` when that is more than one, so that appending
    /// them allocates once; for one element or none it does nothing, and the first element is kept inline.
    @inlinable
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        guard minimumCapacity > 1 else { return }
        var array: [Element]
        switch self.storage {
        case .one(let element): array = [element]
        case .many(let elements): array = elements
        }
        // Released from `storage` first, so that the array is uniquely referenced and grows in place.
        self.storage = .many([])
        array.reserveCapacity(minimumCapacity)
        self.storage = .many(array)
    }

    /// The elements transformed by `transform`, in order, as a small array: one element stays inline.
    ///
    /// - Throws: whatever `transform` throws; nothing is returned then.
    @inlinable
    public func mapElements<Transformed, Failure: Error>(
        _ transform: (Element) throws(Failure) -> Transformed
    ) throws(Failure) -> SmallArray<Transformed> {
        switch self.storage {
        case .one(let element):
            return SmallArray<Transformed>(single: try transform(element))
        case .many(let array):
            var transformed: [Transformed] = []
            transformed.reserveCapacity(array.count)
            for element in array { transformed.append(try transform(element)) }
            return SmallArray<Transformed>(transformed)
        }
    }
}

extension SmallArray: RandomAccessCollection {
    public typealias Index = Int

    @inlinable
    public var startIndex: Int { 0 }

    @inlinable
    public var endIndex: Int {
        switch self.storage {
        case .one: 1
        case .many(let array): array.count
        }
    }

    @inlinable
    public subscript(position: Int) -> Element {
        switch self.storage {
        case .one(let element):
            precondition(position == 0, "SmallArray index out of range")
            return element
        case .many(let array):
            return array[position]
        }
    }
}

extension SmallArray: ExpressibleByArrayLiteral {
    @inlinable
    public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension SmallArray: Equatable where Element: Equatable {
    @inlinable
    public static func == (lhs: SmallArray, rhs: SmallArray) -> Bool { lhs.elementsEqual(rhs) }
}

extension SmallArray: Hashable where Element: Hashable {
    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.count)
        for element in self { hasher.combine(element) }
    }
}

extension SmallArray: Sendable where Element: Sendable {}

extension SmallArray.Storage: Sendable where Element: Sendable {}

extension SmallArray: Encodable where Element: Encodable {
    /// Encodes the elements as an unkeyed container (a JSON array), as `Array` does.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for element in self { try container.encode(element) }
    }
}

extension SmallArray: Decodable where Element: Decodable {
    /// Decodes the elements from an unkeyed container (a JSON array), as `Array` does.
    ///
    /// - Throws: `DecodingError` when the value is not an array of `Element`.
    public init(from decoder: any Decoder) throws {
        self.init(try [Element](from: decoder))
    }
}

extension SmallArray: CustomStringConvertible {
    /// The elements as `Array` describes them, `[a, b]`.
    public var description: String { Array(self).description }
}
