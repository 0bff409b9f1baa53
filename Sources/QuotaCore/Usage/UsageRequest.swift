/// A consume, check or release: one or more (metric, amount) items for one tenant.
public struct UsageRequest: Hashable, Sendable {
    /// The most items one request may carry.
    public static let maximumItems = 64
    /// The largest metadata object, in bytes of its JSON text (4 KiB).
    public static let maximumMetadataBytes = 4096

    /// One (metric, amount) pair.
    public struct Item: Hashable, Sendable {
        /// The metric to change or check.
        public let metric: MetricCode
        /// The amount in the metric's units: positive for consume and release, 0 or more for check.
        public let amount: Int64

        /// Creates an item; amounts are checked by ``UsageRequest/init(tenant:items:idempotencyKey:metadata:allowZeroAmounts:)``.
        public init(metric: MetricCode, amount: Int64) {
            self.metric = metric
            self.amount = amount
        }
    }

    /// The tenant whose usage is consumed, checked or released.
    public let tenant: TenantID
    /// The items, in the client's order; each metric at most once.
    public let items: SmallArray<Item>
    /// The client's idempotency key (consume and release only; a check ignores it).
    public let idempotencyKey: IdempotencyKey?
    /// Client metadata: the canonical text of a JSON object, stored with the usage events.
    public let metadata: String?

    /// Validates and creates a request.
    ///
    /// - Parameter allowZeroAmounts: `true` for a check, which accepts amount 0 (a peek).
    /// - Throws: ``QuotaError/Code/invalidArgument`` when there are no items, more than ``maximumItems``,
    ///   a metric appears twice, or an amount is negative (or zero unless `allowZeroAmounts`);
    ///   ``QuotaError/Code/payloadTooLarge`` when `metadata` is over ``maximumMetadataBytes``.
    public init(
        tenant: TenantID,
        items: SmallArray<Item>,
        idempotencyKey: IdempotencyKey? = nil,
        metadata: String? = nil,
        allowZeroAmounts: Bool = false
    ) throws {
        guard !items.isEmpty else { throw QuotaError.invalidArgument("a request needs at least one item") }
        guard items.count <= Self.maximumItems else {
            throw QuotaError.invalidArgument("a request has at most \(Self.maximumItems) items, got \(items.count)")
        }
        if let duplicate = Self.firstRepeatedMetric(in: items) {
            throw QuotaError.invalidArgument("metric '\(duplicate)' appears more than once in the request")
        }
        for item in items {
            if item.amount < 0 || (item.amount == 0 && !allowZeroAmounts) {
                let bound = allowZeroAmounts ? "0 or more" : "a positive integer"
                throw QuotaError.invalidArgument("amount for '\(item.metric)' must be \(bound), got \(item.amount)")
            }
        }
        if let metadata, metadata.utf8.count > Self.maximumMetadataBytes {
            throw QuotaError(
                .payloadTooLarge,
                "metadata is \(metadata.utf8.count) bytes; the maximum is \(Self.maximumMetadataBytes) bytes"
            )
        }
        self.tenant = tenant
        self.items = items
        self.idempotencyKey = idempotencyKey
        self.metadata = metadata
    }

    /// The first metric that appears a second time in `items`, or `nil`.
    ///
    /// Requests carry one item or a few: comparing pairs costs less than filling a `Set` (one allocation and a
    /// hash of every metric) up to 16 items, which is where the set takes over.
    static func firstRepeatedMetric(in items: SmallArray<Item>) -> MetricCode? {
        if items.count <= 16 {
            for later in items.indices.dropFirst() {
                for earlier in items.startIndex..<later where items[earlier].metric == items[later].metric {
                    return items[later].metric
                }
            }
            return nil
        }
        var seen = Set<MetricCode>()
        for item in items where !seen.insert(item.metric).inserted { return item.metric }
        return nil
    }
}
