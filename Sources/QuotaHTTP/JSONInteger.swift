import Foundation

/// A JSON number that must be a whole number within `Int64`, decoded exactly.
///
/// Decoding goes through `Decimal`, which keeps the number's digits, so `1.5` and
/// `1.0000000000000001` are refused instead of being rounded to 1 as a `Double` would be;
/// `1.0` and `1e3` are whole numbers and accepted.
struct JSONInteger: Decodable {
    let value: Int64

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let decimal = try container.decode(Decimal.self)
        var rounded = Decimal()
        var exact = decimal
        NSDecimalRound(&rounded, &exact, 0, .plain)
        guard rounded == decimal, decimal >= Decimal(Int64.min), decimal <= Decimal(Int64.max) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "must be a whole number between \(Int64.min) and \(Int64.max)"
            )
        }
        self.value = NSDecimalNumber(decimal: decimal).int64Value
    }
}
