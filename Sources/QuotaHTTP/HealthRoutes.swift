import Hummingbird
import QuotaJSON
import QuotaNode

/// `GET /health/live` (the process answers) and `GET /health/ready` (storage writes are succeeding):
/// 200 or 503 with `{"status": …, "checks": {"storage": …}}`.
struct HealthRoutes<Context: RequestContext> {
    let engine: QuotaEngine

    func add(to router: Router<Context>) {
        router.get("health/live") { _, _ in
            APIResponse.json(.object(["status": .string("live")]))
        }
        router.get("health/ready") { _, _ in
            let ready = self.engine.isReady
            return APIResponse.json(
                .object([
                    "status": .string(ready ? "ready" : "not_ready"),
                    "checks": .object([
                        "storage": .string(ready ? "ok" : "failing"),
                        "unflushed": .int(Int64(self.engine.unflushedCount)),
                    ]),
                ]),
                status: ready ? .ok : .serviceUnavailable
            )
        }
    }
}
