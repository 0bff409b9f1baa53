/// The Lua scripts that make Redis a fixed-window rate limiter with the semantics of quotad's hard limits:
/// a consume is admitted only if usage + amount stays within the limit, and a denied consume changes nothing.
///
/// Both take KEYS[1] = the counter key `q:{tenant}:{metric}:{period_start}` and ARGV = amount, limit, TTL in
/// seconds, and answer `{1, usage}` when (they would be) admitted, `{0, usage}` when not.
enum RateLimitScripts {
    /// Checks and consumes atomically; the counter expires `ttl` seconds after its first increment.
    static let consume = """
        local used = tonumber(redis.call('GET', KEYS[1]) or '0')
        local amount = tonumber(ARGV[1])
        if used + amount > tonumber(ARGV[2]) then
          return {0, used}
        end
        local total = redis.call('INCRBY', KEYS[1], amount)
        if total == amount then
          redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
        end
        return {1, total}
        """

    /// Answers what ``consume`` would, changing nothing.
    static let check = """
        local used = tonumber(redis.call('GET', KEYS[1]) or '0')
        if used + tonumber(ARGV[1]) > tonumber(ARGV[2]) then
          return {0, used}
        end
        return {1, used}
        """
}
