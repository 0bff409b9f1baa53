import Hummingbird
import Logging
import QuotaNode

/// The router of the HTTP/JSON API over `engine`: `/v1/tenants/{tenant}/…`, the legacy `/api/quota/…`
/// routes and `/health/…`. Every error answers `{"error": {"code", "message"}}`.
public func buildRouter(engine: QuotaEngine) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    let tenant = router.group("v1/tenants/:tenant")
    let usage = UsageRoutes<BasicRequestContext>(engine: engine)
    usage.add(to: tenant)
    LimitRoutes(engine: engine).add(to: tenant)
    AuditRoutes(engine: engine).add(to: tenant)
    HealthRoutes(engine: engine).add(to: router)
    ClusterRoutes(engine: engine).add(to: router)
    LegacyRoutes(usage: usage).add(to: router)
    return router
}

/// The HTTP application (a `Service`) serving ``buildRouter(engine:)`` on `host:port`.
///
/// - Parameter onListening: called with the bound port once the server listens (port 0 lets the OS choose).
public func buildApplication(
    engine: QuotaEngine,
    host: String,
    port: Int,
    logger: Logger,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(engine: engine),
        configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "quotad"),
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
        logger: logger
    )
}
