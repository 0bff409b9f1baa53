import HTTPTypes
import QuotaCore

/// `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (IETF draft-ietf-httpapi-ratelimit-headers,
/// the widely deployed form with delta-seconds) and `Retry-After` (RFC 9110 §10.2.3) for a decision.
enum RateLimitHeaders {
    static let limit = HTTPField.Name("RateLimit-Limit")!
    static let remaining = HTTPField.Name("RateLimit-Remaining")!
    static let reset = HTTPField.Name("RateLimit-Reset")!

    /// Milliseconds as whole seconds, rounded up, at least 1 (a client must not retry before the reset).
    static func seconds(_ milliseconds: Int64) -> Int64 { max(1, (milliseconds + 999) / 1000) }

    /// The headers of `decision`: the item that denied it (a hard item), or else the limited item with the
    /// least remaining. A decision without any limited item gets none.
    static func fields(for decision: Decision, now: Timestamp) -> HTTPFields {
        var fields = HTTPFields()
        let limited = decision.results.filter { $0.limit != nil }
        let reported =
            limited.first { !$0.allowed }
            ?? limited.min { ($0.remaining ?? .max, $0.metric) < ($1.remaining ?? .max, $1.metric) }
        if let item = reported, let limit = item.limit, let remaining = item.remaining {
            fields[self.limit] = String(limit)
            fields[self.remaining] = String(remaining)
            fields[self.reset] = String(
                self.seconds(item.periodEnd.millisecondsSinceEpoch - now.millisecondsSinceEpoch)
            )
        }
        if let retryAfter = decision.retryAfterMilliseconds {
            fields[.retryAfter] = String(self.seconds(retryAfter))
        }
        return fields
    }
}
