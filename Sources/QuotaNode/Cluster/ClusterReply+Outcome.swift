import QuotaCluster
import QuotaCore

extension ClusterReply {
    /// The decision of a consume, check or release.
    ///
    /// - Throws: the reply's ``QuotaCore/QuotaError`` when it failed; ``QuotaCore/QuotaError/Code/internalError``
    ///   when it holds another kind of answer.
    public func decision() throws -> Decision {
        guard case .decision(let decision) = try self.success() else { throw Self.mismatch }
        return decision
    }

    /// The metrics of a status request; throws like ``decision()``.
    public func metrics() throws -> [MetricStatus] {
        guard case .status(let metrics) = try self.success() else { throw Self.mismatch }
        return metrics
    }

    /// The limits of a limits request; throws like ``decision()``.
    public func limits() throws -> [Limit] {
        guard case .limits(let limits) = try self.success() else { throw Self.mismatch }
        return limits
    }

    /// Confirms a limit change; throws like ``decision()``.
    public func completed() throws {
        guard case .done = try self.success() else { throw Self.mismatch }
    }

    private func success() throws -> Outcome {
        if case .failure(let error) = self.outcome { throw error }
        return self.outcome
    }

    private static let mismatch = QuotaError(.internalError, "the node answered with another kind of reply")
}

extension QuotaEngine {
    /// Consumes usage; see ``QuotaCore/QuotaLedger/consume(_:now:)``.
    public func consume(_ request: UsageRequest) async throws -> Decision {
        try await self.execute(.consume(request)).decision()
    }

    /// Checks usage without applying it; see ``QuotaCore/QuotaLedger/check(_:now:)``.
    public func check(_ request: UsageRequest) async throws -> Decision {
        try await self.execute(.check(request)).decision()
    }

    /// Releases usage; see ``QuotaCore/QuotaLedger/release(_:now:)``.
    public func release(_ request: UsageRequest) async throws -> Decision {
        try await self.execute(.release(request)).decision()
    }

    /// Every metric of a tenant in its current period.
    public func status(of tenant: TenantID) async throws -> [MetricStatus] {
        try await self.execute(.status(tenant)).metrics()
    }

    /// Sets a limit.
    public func setLimit(_ limit: Limit) async throws {
        try await self.execute(.setLimit(limit)).completed()
    }

    /// Removes a limit.
    public func removeLimit(tenant: TenantID, metric: MetricCode) async throws {
        try await self.execute(.removeLimit(tenant, metric)).completed()
    }

    /// A tenant's limits, ordered by metric.
    public func limits(of tenant: TenantID) async throws -> [Limit] {
        try await self.execute(.limits(tenant)).limits()
    }
}
