import Foundation
import QuotaCore
import QuotaJSON
import QuotaNode

/// The JSON body of consume, check and release:
/// `{"metric": "api_calls", "amount": 1}` or `{"items": [{"metric": …, "amount": …}, …]}`,
/// with optional `idempotency_key` and `metadata` (a JSON object).
struct UsageBody: Decodable {
    struct Item: Decodable {
        let metric: String
        let amount: JSONInteger
    }

    let metric: String?
    let amount: JSONInteger?
    let items: [Item]?
    let idempotencyKey: String?
    let metadata: JSONValue?

    enum CodingKeys: String, CodingKey {
        case metric, amount, items
        case idempotencyKey = "idempotency_key"
        case metadata
    }

    /// The validated domain request.
    ///
    /// - Throws: ``QuotaError/Code/invalidArgument`` for a missing or doubled item form or any invalid field.
    func usageRequest(tenant: TenantID, allowZeroAmounts: Bool) throws -> UsageRequest {
        let pairs: [(String, Int64)]
        switch (self.metric, self.amount, self.items) {
        case (let metric?, let amount?, nil):
            pairs = [(metric, amount.value)]
        case (nil, nil, let items?):
            pairs = items.map { ($0.metric, $0.amount.value) }
        case (_, _, .some):
            throw QuotaError.invalidArgument("give either 'metric' and 'amount' or 'items', not both")
        default:
            throw QuotaError.invalidArgument("the body needs 'metric' and 'amount', or 'items'")
        }
        let items = try pairs.map { try UsageRequest.Item(metric: MetricCode($0.0), amount: $0.1) }
        return try UsageRequest(
            tenant: tenant,
            items: SmallArray(items),
            idempotencyKey: try self.idempotencyKey.map(IdempotencyKey.init),
            metadata: try self.metadata.map(Metadata.canonicalText(of:)),
            allowZeroAmounts: allowZeroAmounts
        )
    }
}

/// The JSON body of `PUT /v1/tenants/{tenant}/limits/{metric}`:
/// `{"limit": 100, "period": "minute", "enforcement": "hard"}` plus optional `anchor`
/// (`{"day": 31}`, `{"month": 3, "day": 15}` or just `31`), `time_zone` (IANA) and `audit`.
struct LimitBody: Decodable {
    struct Anchor: Decodable {
        let day: Int
        let month: Int?

        init(from decoder: any Decoder) throws {
            if let day = try? decoder.singleValueContainer().decode(Int.self) {
                self.day = day
                self.month = nil
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.day = try container.decode(Int.self, forKey: .day)
            self.month = try container.decodeIfPresent(Int.self, forKey: .month)
        }

        enum CodingKeys: String, CodingKey { case day, month }
    }

    let limit: JSONInteger
    let period: String
    let enforcement: String
    let anchor: Anchor?
    let timeZone: String?
    let audit: String?

    enum CodingKeys: String, CodingKey {
        case limit, period, enforcement, anchor
        case timeZone = "time_zone"
        case audit
    }

    /// The validated limit.
    ///
    /// - Throws: ``QuotaError/Code/invalidArgument`` for an unknown period, enforcement or audit name,
    ///   an anchor outside its range or not allowed for the period, an unknown time zone or a negative limit.
    func limit(tenant: TenantID, metric: MetricCode) throws -> Limit {
        let period = try PeriodSpec(
            unit: PeriodUnit(parsing: self.period),
            anchor: try self.anchor.map { try BillingAnchor(day: $0.day, month: $0.month) },
            timeZone: try self.timeZone.map(TimeZoneRules.init(identifier:)) ?? .utc
        )
        return try Limit(
            tenant: tenant,
            metric: metric,
            value: self.limit.value,
            period: period,
            enforcement: Enforcement(parsing: self.enforcement),
            audit: try self.audit.map(AuditLevel.init(parsing:)) ?? .full
        )
    }
}

/// Decodes a JSON request body, turning decoding failures into ``QuotaError/Code/invalidArgument`` errors
/// that name the offending field.
enum BodyDecoder {
    static func decode<Body: Decodable>(_ type: Body.Type, from bytes: [UInt8]) throws -> Body {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as QuotaError {
            throw error
        } catch let error as DecodingError {
            throw QuotaError.invalidArgument(self.describe(error, body: bytes))
        } catch {
            throw QuotaError.invalidArgument("the body is not valid JSON")
        }
    }

    private static func describe(_ error: DecodingError, body: [UInt8]) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the body" : "field '\(keys.joined(separator: "."))'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context))"
            return "missing field '\(key.stringValue)'\(parent)"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            if context.codingPath.isEmpty { return "the body must be a JSON object" }
            return "\(path(context)) must be \(self.describe(type))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                // Foundation reports an unrepresentable number without its path; tell it apart from bad JSON.
                let isJSON = (try? JSONSerialization.jsonObject(with: Data(body), options: .fragmentsAllowed)) != nil
                return isJSON ? "a number in the body is out of range" : "the body is not valid JSON"
            }
            return "\(path(context)) \(context.debugDescription)"
        @unknown default:
            return "the body could not be decoded"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int64.Type, is Int.Type, is Decimal.Type: return "an integer"
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is [String: Any].Type: return "an object"
        case is [Any].Type: return "an array"
        default: return "of a different type"
        }
    }
}
