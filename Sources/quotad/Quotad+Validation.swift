import ArgumentParser
import Foundation
import Logging
import QuotaCluster
import QuotaCore
import QuotaNode

/// The checks of the settings before anything starts, and the node configuration they make. A message names the
/// flag when the value came from the command line, and the `QUOTAD_*` variable (with its text) when it came from
/// the environment.
extension Quotad {
    func validate() throws {
        try Environment.check("QUOTAD_HTTP_PORT", as: Int.self)
        try Environment.check("QUOTAD_TCP_PORT", as: Int.self)
        try Environment.check("QUOTAD_MAX_UNFLUSHED", as: Int.self)
        try Environment.check("QUOTAD_EVENT_LOOPS", as: Int.self)
        try Environment.check("QUOTAD_FLUSH_INTERVAL", as: DurationArgument.self)
        try Environment.check("QUOTAD_IDEMPOTENCY_TTL", as: DurationArgument.self)
        try Environment.check("QUOTAD_UNKNOWN_METRICS", as: LedgerConfiguration.UnknownMetricPolicy.self)
        for name in [
            "QUOTAD_HEARTBEAT_INTERVAL", "QUOTAD_LEASE", "QUOTAD_SUSPICION_TIMEOUT", "QUOTAD_CLOCK_DRIFT_ALLOWANCE",
            "QUOTAD_REQUEST_DEADLINE",
        ] {
            try Environment.check(name, as: DurationArgument.self)
        }
        if let file = self.peersFileSetting, !self.peersSetting.value.isEmpty {
            throw ValidationError("give the members with \(self.peersSetting.name) or \(file.name), not both")
        }
        for port in [self.httpPortSetting, self.tcpPortSetting] where !(0...65535).contains(port.value) {
            throw port.refusal("must be between 0 and 65535 (0: any free port)")
        }
        let maxUnflushed = self.maxUnflushedSetting
        guard maxUnflushed.value > 0 else { throw maxUnflushed.refusal("must be positive") }
        let eventLoops = self.eventLoopsSetting
        guard (1...256).contains(eventLoops.value) else { throw eventLoops.refusal("must be between 1 and 256") }
        let logLevel = self.logLevelSetting
        guard Logger.Level(rawValue: logLevel.value) != nil else {
            throw logLevel.refusal("unknown log level; use trace, debug, info, notice, warning, error or critical")
        }
        try self.checkTimings()
        do {
            let configuration = try self.nodeConfiguration()
            try self.checkOwnAddress(in: configuration.members)
        } catch let error as QuotaError {
            throw ValidationError(error.message)
        }
    }

    /// Refuses cluster timings that contradict each other, naming each setting as the operator wrote it (or its
    /// default): the heartbeat interval must be shorter than the lease, and the suspicion timeout at least the lease.
    /// The rule is ``QuotaCluster/ClusterTimings``'s own (`conflict`), which cannot say where the values came from.
    ///
    /// - Throws: `ValidationError`, e.g. `--lease 2s must be at most the suspicion timeout
    ///   (--suspicion-timeout 1s by default)`.
    func checkTimings() throws {
        let heartbeat = self.heartbeatIntervalSetting
        let lease = self.leaseSetting
        let suspicion = self.suspicionTimeoutSetting
        switch ClusterTimings.conflict(
            heartbeatIntervalMilliseconds: heartbeat.value.milliseconds,
            suspicionTimeoutMilliseconds: suspicion.value.milliseconds,
            leaseMilliseconds: lease.value.milliseconds
        ) {
        case .heartbeatNotShorterThanLease:
            throw ValidationError("\(heartbeat.origin) must be shorter than the lease (\(lease.origin))")
        case .suspicionShorterThanLease:
            throw ValidationError("\(lease.origin) must be at most the suspicion timeout (\(suspicion.origin))")
        case nil:
            break
        }
    }

    /// Refuses a member list peers could not use: this node's entry must name the port it listens on (unless the
    /// binary protocol's port is 0). Members sharing an address are refused earlier, by ``members()``.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument``.
    func checkOwnAddress(in members: [MemberAddress]) throws {
        let tcpPort = self.tcpPortSetting
        if let own = members.first(where: { $0.id.rawValue == self.nodeID }), tcpPort.value != 0,
            own.port != tcpPort.value
        {
            throw QuotaError.invalidArgument(
                "this node's peer entry '\(own)' names port \(own.port), but the node listens on port \(tcpPort.value) "
                    + "(\(tcpPort.origin)); peers could not reach it"
            )
        }
    }

    func nodeConfiguration() throws -> NodeConfiguration {
        try NodeConfiguration(
            nodeID: self.nodeID,
            ledger: LedgerConfiguration(
                unknownMetrics: self.unknownMetricsSetting.value,
                idempotencyRetentionMilliseconds: self.idempotencyTTLSetting.value.milliseconds,
                maximumUnflushedEntries: self.maxUnflushedSetting.value
            ),
            flushInterval: self.flushIntervalSetting.value.duration,
            members: try self.members(),
            clusterTimings: ClusterTimings(
                heartbeatIntervalMilliseconds: self.heartbeatIntervalSetting.value.milliseconds,
                suspicionTimeoutMilliseconds: self.suspicionTimeoutSetting.value.milliseconds,
                leaseMilliseconds: self.leaseSetting.value.milliseconds,
                clockDriftAllowanceMilliseconds: self.clockDriftAllowanceSetting.value.milliseconds,
                requestDeadlineMilliseconds: self.requestDeadlineSetting.value.milliseconds
            )
        )
    }

    /// The members from `--peers` or `--peers-file` (or their variables); empty for a single node.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument`` for an unreadable file, an invalid entry, a member
    ///   listed twice or two members sharing an address.
    func members() throws -> [MemberAddress] {
        if let file = self.peersFileSetting {
            guard let text = try? String(contentsOfFile: file.value, encoding: .utf8) else {
                throw QuotaError.invalidArgument("cannot read the peers file '\(file.value)' (\(file.name))")
            }
            let lines = text.split(whereSeparator: \.isNewline).map { line in
                String(line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
            }
            return try Self.parseMembers(lines.joined(separator: ","), from: file.origin)
        }
        let peers = self.peersSetting.value
        return peers.isEmpty ? [] : try Self.parseMembers(peers, from: self.peersSetting.name)
    }

    /// The members in `list`, with an invalid entry, a member listed twice or two members sharing an address refused
    /// naming `source`: the flag or variable of the list, or that of the peers file with the file's path
    /// (`--peers-file /etc/quotad/peers`). ``QuotaNode/NodeConfiguration`` checks the ids again, but its message
    /// cannot say where they came from.
    private static func parseMembers(_ list: String, from source: String) throws -> [MemberAddress] {
        do {
            let members = try MemberAddress.parseList(list)
            try MemberAddress.checkDistinct(members)
            try MemberAddress.checkDistinctAddresses(members)
            return members
        } catch let error as QuotaError {
            throw QuotaError(error.code, "\(source): \(error.message)")
        }
    }
}
