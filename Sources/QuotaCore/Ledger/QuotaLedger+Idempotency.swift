extension QuotaLedger {
    /// The stored decision for `key`, replayed, or `nil` when the key is new.
    ///
    /// - Throws: ``QuotaError/Code/idempotencyConflict`` when the key was applied to a different request.
    func replay(tenant: TenantID, key: IdempotencyKey?, fingerprint: UInt64) throws -> Decision? {
        guard let key, !self.configuration.defects.contains(.skipIdempotencyCheck),
            let entry = self.idempotency[IdempotencyScope(tenant: tenant, key: key)]
        else { return nil }
        guard entry.fingerprint == fingerprint else {
            throw QuotaError(
                .idempotencyConflict,
                "idempotency key '\(key)' was already used for a different request of tenant '\(tenant)'"
            )
        }
        var decision = entry.decision
        decision.replayed = true
        return decision
    }

    /// Records an applied key; `persist` adds it to the write-behind buffer.
    mutating func remember(_ entry: IdempotencyEntry, persist: Bool) {
        let scope = IdempotencyScope(tenant: entry.tenant, key: entry.key)
        if self.idempotency.updateValue(entry, forKey: scope) == nil { self.idempotencyOrder.append(scope) }
        if persist {
            self.writeBehind.add(entry)
            self.capture?.idempotency.append(entry)
        }
    }

    /// Forgets keys applied more than the retention ago.
    mutating func expireIdempotencyKeys(now: Timestamp) {
        let cutoff = now.adding(milliseconds: -self.configuration.idempotencyRetentionMilliseconds)
        while let scope = self.idempotencyOrder.first {
            guard let entry = self.idempotency[scope] else {
                self.idempotencyOrder.removeFirst()
                continue
            }
            guard entry.createdAt <= cutoff else { break }
            self.idempotency[scope] = nil
            self.idempotencyOrder.removeFirst()
        }
    }
}

extension QuotaLedger {
    /// Drops every applied key of `tenants` from memory (a snapshot replaces them).
    mutating func forgetIdempotencyKeys(of tenants: Set<TenantID>) {
        guard !tenants.isEmpty else { return }
        self.idempotencyOrder.removeAll { tenants.contains($0.tenant) }
        for scope in self.idempotency.keys where tenants.contains(scope.tenant) {
            self.idempotency[scope] = nil
        }
    }
}
