#!/usr/bin/env bash
# quotad against Redis running a check-and-consume Lua script, on this machine, with the same load generator.
#
#   benchmarks/compare-redis.sh [OPTIONS]
#
# Installs redis-server, redis-tools (redis-cli, redis-benchmark), jq and curl with apt-get when absent, builds
# quotad and quota-bench in release (swift build -c release --product …, in the repository this script belongs
# to), and starts, on 127.0.0.1 only, on free ports, with fresh temporary data directories: one Redis
# (--save '' --appendonly no) for the whole run, and for each quotad run a fresh single quotad, or, for the
# cluster row, a fresh three-node cluster (deploy/local-cluster.sh). Then, for each row, it runs the same
# workload with quota-bench against both sides, alternately (quotad then Redis, then Redis then quotad, …):
#
#   quotad: quota-bench --protocol binary  (limits set first: hard, --audit aggregate or full)
#   Redis:  quota-bench --protocol resp    (EVALSHA of the check-and-consume script; FLUSHALL before each run)
#   both:   --connections C --pipeline P --tenants T --distribution D --seed S --mix consume=1 --period hour
#           --duration … --warmup … --json
#
#   row               C   P   quotad target                              audit
#   c50p1-aggregate   50  1   single node                                aggregate
#   c50p16-aggregate  50  16  single node                                aggregate
#   c50p1-full        50  1   single node                                full (every event written to SQLite)
#   c50p16-full       50  16  single node                                full
#   c1p1-aggregate    1   1   single node (latency)                      aggregate
#   cluster3-c50p16   50  16  three nodes, connections spread over all   aggregate
#                             three (two thirds of consumes forwarded to
#                             the tenant's owner), replication on; each
#                             node runs with --event-loops 1 (three nodes
#                             share the machine's cores; see
#                             --cluster-event-loops)
#
# It prints a table of the medians over the alternations (throughput, p50 and p99 of each side, the ratio
# quotad/Redis), then what redis-benchmark measures for the same script (for reference), and ends with exactly
# one line per row:
#
#   row=<name> quotad_ops=<n> redis_ops=<n> ratio=<x> quotad_p99_us=<n> redis_p99_us=<n>
#
# "ops" are answered decisions per second: (allowed + denied) / recorded seconds; failed requests (errors) are
# left out and shown in the table. It stops everything it started, and removes its temporary directory, on
# every exit path, except that after a failure it keeps the logs and reports there (not the databases), which the
# failure's message points at, and says so.
#
# Options (each also an environment variable; an option wins over the variable):
#   --alternations N     COMPARE_ALTERNATIONS   quotad/Redis pairs per row; medians are reported (default 3)
#   --duration S         COMPARE_DURATION       seconds recorded per run (default 10)
#   --warmup S           COMPARE_WARMUP         seconds of load before recording (default 2)
#   --rows A,B,…         COMPARE_ROWS           the rows to run, by name (default: all six)
#   --tenants N          COMPARE_TENANTS        tenants bench-0 … bench-(N-1) (default 1000)
#   --distribution D     COMPARE_DISTRIBUTION   uniform or zipf (default uniform)
#   --seed N             COMPARE_SEED           quota-bench's seed (default 1)
#   --json-dir DIR       COMPARE_JSON_DIR       keep every run's quota-bench JSON (and stderr) in DIR
#   --cluster-ports M    COMPARE_CLUSTER_PORTS  how the cluster row reaches the nodes: all (quota-bench --port
#                                               P1,P2,P3, connections round-robin), first (n1's port only: n1
#                                               takes every connection, two thirds are still forwarded), or
#                                               auto (all when this quota-bench takes a port list, else first
#                                               with a warning) (default auto)
#   --cluster-event-loops N  COMPARE_CLUSTER_EVENT_LOOPS  event-loop threads of each cluster node (quotad
#                                               --event-loops, 1 to 256; default 1); the single node keeps
#                                               quotad's default (one per core)
#   --smoke              COMPARE_SMOKE=1        CI mode: 1 s runs, 0.5 s warmup, 1 alternation, small
#                                               redis-benchmark runs (explicit options still win)
#   --no-redis-benchmark COMPARE_REDIS_BENCHMARK=0  skip the redis-benchmark reference
#   --http-wrk           COMPARE_HTTP_WRK=1     also run benchmarks/http-wrk.sh (with the same binaries,
#                                               duration, warmup and --smoke) after the rows
#   -h, --help
# Binaries: QUOTAD_BIN and QUOTA_BENCH_BIN name existing binaries to use instead of building them (each one set
# skips its build).
#
# Exit status: 0 when every run completed; 1 on a failure (a tool missing, a build, a start, or a quota-bench
# run that failed or answered nothing); 2 for a usage error.
set -euo pipefail

readonly HOST=127.0.0.1
readonly ALL_ROWS=(c50p1-aggregate c50p16-aggregate c50p1-full c50p16-full c1p1-aggregate cluster3-c50p16)
readonly PERIOD=hour
readonly PERIOD_SECONDS=3600
readonly LIMIT=1000000000
readonly START_TIMEOUT_SECONDS=30
readonly STOP_TIMEOUT_SECONDS=60
# Ports are picked at random in this range, below Linux's default ephemeral range (32768-60999), so that the
# client side of connections does not take them.
readonly PORT_MIN=20000
readonly PORT_MAX=32000

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$script_dir/.." && pwd)"
readonly REPO_DIR
readonly SCRIPT_NAME=compare-redis
# shellcheck source=benchmarks/common.sh
source "$script_dir/common.sh"

usage() {
  cat >&2 <<'EOF'
usage: compare-redis.sh [--smoke] [--alternations N] [--duration S] [--warmup S] [--rows A,B,...]
                        [--tenants N] [--distribution uniform|zipf] [--seed N] [--json-dir DIR]
                        [--cluster-ports auto|all|first] [--cluster-event-loops N] [--no-redis-benchmark]
                        [--http-wrk]
Rows: c50p1-aggregate c50p16-aggregate c50p1-full c50p16-full c1p1-aggregate cluster3-c50p16.
Binaries: QUOTAD_BIN, QUOTA_BENCH_BIN (otherwise built with swift build -c release). See the top of this script.
EOF
  exit "${1:-2}"
}

# ---------------------------------------------------------------------------------------------------------------
# Settings

alternations="${COMPARE_ALTERNATIONS:-}"
duration="${COMPARE_DURATION:-}"
warmup="${COMPARE_WARMUP:-}"
rows_setting="${COMPARE_ROWS:-}"
rows_given=0
tenants="${COMPARE_TENANTS:-1000}"
distribution="${COMPARE_DISTRIBUTION:-uniform}"
seed="${COMPARE_SEED:-1}"
json_dir="${COMPARE_JSON_DIR:-}"
cluster_ports="${COMPARE_CLUSTER_PORTS:-auto}"
cluster_event_loops="${COMPARE_CLUSTER_EVENT_LOOPS:-1}"
smoke="${COMPARE_SMOKE:-0}"
redis_benchmark="${COMPARE_REDIS_BENCHMARK:-1}"
http_wrk="${COMPARE_HTTP_WRK:-0}"

while (($#)); do
  case "$1" in
  --alternations) need_value "$1" $# && alternations="$2" && shift ;;
  --duration) need_value "$1" $# && duration="$2" && shift ;;
  --warmup) need_value "$1" $# && warmup="$2" && shift ;;
  --rows) need_value "$1" $# && rows_setting="$2" && rows_given=1 && shift ;;
  --tenants) need_value "$1" $# && tenants="$2" && shift ;;
  --distribution) need_value "$1" $# && distribution="$2" && shift ;;
  --seed) need_value "$1" $# && seed="$2" && shift ;;
  --json-dir) need_value "$1" $# && json_dir="$2" && shift ;;
  --cluster-ports) need_value "$1" $# && cluster_ports="$2" && shift ;;
  --cluster-event-loops) need_value "$1" $# && cluster_event_loops="$2" && shift ;;
  --smoke) smoke=1 ;;
  --no-redis-benchmark) redis_benchmark=0 ;;
  --http-wrk) http_wrk=1 ;;
  -h | --help) usage 0 ;;
  *) bad_usage "unknown argument '$1'" ;;
  esac
  shift
done

[[ "$smoke" == 0 || "$smoke" == 1 ]] || bad_usage "COMPARE_SMOKE='$smoke' is not 0 or 1"
[[ "$redis_benchmark" == 0 || "$redis_benchmark" == 1 ]] ||
  bad_usage "COMPARE_REDIS_BENCHMARK='$redis_benchmark' is not 0 or 1"
[[ "$http_wrk" == 0 || "$http_wrk" == 1 ]] || bad_usage "COMPARE_HTTP_WRK='$http_wrk' is not 0 or 1"
if ((smoke)); then
  alternations="${alternations:-1}"
  duration="${duration:-1}"
  warmup="${warmup:-0.5}"
else
  alternations="${alternations:-3}"
  duration="${duration:-10}"
  warmup="${warmup:-2}"
fi

{ is_count "$alternations" && ((10#$alternations <= 100)); } ||
  bad_usage "--alternations '$alternations' is not a whole number from 1 to 100"
alternations=$((10#$alternations))
{ is_number "$duration" && awk -v d="$duration" 'BEGIN { exit !(d > 0 && d <= 3600) }'; } ||
  bad_usage "--duration '$duration' is not a number of seconds above 0 and at most 3600"
{ is_number "$warmup" && awk -v w="$warmup" 'BEGIN { exit !(w <= 600) }'; } ||
  bad_usage "--warmup '$warmup' is not a number of seconds from 0 to 600"
{ is_count "$tenants" && ((10#$tenants <= 1000000)); } ||
  bad_usage "--tenants '$tenants' is not a whole number from 1 to 1000000"
tenants=$((10#$tenants))
[[ "$distribution" == uniform || "$distribution" == zipf ]] ||
  bad_usage "--distribution '$distribution' is not uniform or zipf"
[[ "$seed" =~ ^[0-9]{1,19}$ ]] || bad_usage "--seed '$seed' is not a non-negative whole number"
[[ "$cluster_ports" == auto || "$cluster_ports" == all || "$cluster_ports" == first ]] ||
  bad_usage "--cluster-ports '$cluster_ports' is not auto, all or first"
{ is_count "$cluster_event_loops" && ((10#$cluster_event_loops <= 256)); } ||
  bad_usage "--cluster-event-loops '$cluster_event_loops' is not a whole number from 1 to 256"
readonly CLUSTER_EVENT_LOOPS=$((10#$cluster_event_loops))

rows=()
[[ "$rows_given" == 0 || -n "$rows_setting" ]] || bad_usage "--rows is empty"
if [[ -z "$rows_setting" ]]; then
  rows=("${ALL_ROWS[@]}")
else
  [[ "$rows_setting" != *, ]] || bad_usage "--rows '$rows_setting' ends with a comma"
  IFS=',' read -r -a requested <<<"$rows_setting"
  for row in "${requested[@]}"; do
    [[ " ${ALL_ROWS[*]} " == *" $row "* ]] ||
      bad_usage "unknown row '$row' (rows: ${ALL_ROWS[*]})"
    [[ " ${rows[*]-} " == *" $row "* ]] || rows+=("$row")
  done
fi

# Row parameters: connections, pipeline, audit, target (single or cluster).
row_params() {
  case "$1" in
  c50p1-aggregate) echo "50 1 aggregate single" ;;
  c50p16-aggregate) echo "50 16 aggregate single" ;;
  c50p1-full) echo "50 1 full single" ;;
  c50p16-full) echo "50 16 full single" ;;
  c1p1-aggregate) echo "1 1 aggregate single" ;;
  cluster3-c50p16) echo "50 16 aggregate cluster" ;;
  *) die "no parameters for row $1" ;;
  esac
}

# ---------------------------------------------------------------------------------------------------------------
# Tools

ensure_commands redis-server redis-server redis-cli redis-tools redis-benchmark redis-tools jq jq curl curl \
  ss iproute2

QUOTAD="$(binary_from QUOTAD_BIN quotad)"
QUOTA_BENCH="$(binary_from QUOTA_BENCH_BIN quota-bench)"
readonly QUOTAD QUOTA_BENCH
LOCAL_CLUSTER="$REPO_DIR/deploy/local-cluster.sh"
readonly LOCAL_CLUSTER

# ---------------------------------------------------------------------------------------------------------------
# Processes and cleanup

work="$(mktemp -d "${TMPDIR:-/tmp}/compare-redis.XXXXXX")"
redis_pid=""
redis_port=""
quotad_pid=""
cluster_dir=""
bench_pid=""

stop_quotad() {
  if [[ -n "$quotad_pid" ]]; then
    terminate "$quotad_pid" "$STOP_TIMEOUT_SECONDS"
    quotad_pid=""
  fi
}

stop_cluster() {
  if [[ -n "$cluster_dir" ]]; then
    LOCAL_CLUSTER_DIR="$cluster_dir" QUOTAD_BIN="$QUOTAD" "$LOCAL_CLUSTER" stop >/dev/null 2>&1 ||
      log "local-cluster.sh stop failed for $cluster_dir"
    cluster_dir=""
  fi
}

stop_redis() {
  if [[ -n "$redis_pid" ]]; then
    terminate "$redis_pid" 10
    redis_pid=""
  fi
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$bench_pid" ]]; then terminate "$bench_pid" 5; fi
  stop_quotad
  stop_cluster
  stop_redis
  remove_work_dir "$status" "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Whether something uses TCP port $1 on this machine (listening, connected or in TIME_WAIT).
port_used() {
  [[ -n "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]]
}

# The first of $1 consecutive ports that nothing uses, picked at random in PORT_MIN..PORT_MAX. A process may still
# take one before it is bound: callers retry the start on another pick.
free_ports() {
  local count="$1" attempt base offset
  for ((attempt = 0; attempt < 200; attempt++)); do
    base=$((PORT_MIN + (RANDOM * 32768 + RANDOM) % (PORT_MAX - PORT_MIN - count)))
    for ((offset = 0; offset < count; offset++)); do
      if port_used $((base + offset)); then continue 2; fi
    done
    echo "$base"
    return 0
  done
  die "found no $count consecutive free ports in $PORT_MIN-$PORT_MAX"
}

start_redis() {
  local attempt port log="$work/redis.log"
  for ((attempt = 1; attempt <= 5; attempt++)); do
    port="$(free_ports 1)"
    redis-server --bind "$HOST" --port "$port" --save '' --appendonly no --dir "$work" \
      --daemonize no --logfile "$log" </dev/null >/dev/null 2>&1 &
    redis_pid=$!
    local deadline=$((SECONDS + START_TIMEOUT_SECONDS))
    while kill -0 "$redis_pid" 2>/dev/null && ((SECONDS < deadline)); do
      if [[ "$(redis-cli -h "$HOST" -p "$port" PING 2>/dev/null)" == PONG ]]; then
        redis_port="$port"
        return 0
      fi
      sleep 0.1
    done
    log "redis-server did not start on port $port (attempt $attempt):"
    tail -n 5 "$log" >&2 2>/dev/null || true
    terminate "$redis_pid" 5
    redis_pid=""
  done
  die "could not start redis-server"
}

# Starts a single quotad with ports chosen by the OS, in a fresh data directory; sets quotad_pid, quotad_http and
# quotad_tcp from its "listening" lines.
start_quotad() {
  local dir="$1" log="$1.log"
  mkdir -p "$dir"
  "$QUOTAD" --node-id n1 --http-host "$HOST" --http-port 0 --tcp-host "$HOST" --tcp-port 0 --data-dir "$dir" \
    </dev/null >"$log" 2>&1 &
  quotad_pid=$!
  quotad_http=""
  quotad_tcp=""
  local deadline=$((SECONDS + START_TIMEOUT_SECONDS))
  while [[ -z "$quotad_http" || -z "$quotad_tcp" ]]; do
    if ! kill -0 "$quotad_pid" 2>/dev/null; then
      tail -n 20 "$log" >&2 || true
      wait "$quotad_pid" 2>/dev/null || true
      quotad_pid=""
      die "quotad exited before it listened (log above)"
    fi
    ((SECONDS < deadline)) || die "quotad did not listen within ${START_TIMEOUT_SECONDS}s (log: $log)"
    sleep 0.05
    quotad_http="$(sed -n "s/^listening http=$HOST:\([0-9]*\).*$/\1/p" "$log" | head -n 1)"
    quotad_tcp="$(sed -n "s/^listening tcp=$HOST:\([0-9]*\).*$/\1/p" "$log" | head -n 1)"
  done
}

# Whether the node at HTTP port $1 sees a settled cluster: every member alive, every shard owned, none moving,
# and every follower of its own shards synced.
cluster_settled() {
  local body
  body="$(curl -fsS --max-time 2 "http://$HOST:$1/v1/cluster" 2>/dev/null)" || return 1
  jq -e '
    .summary.moving == 0
    and ([.summary.owners[]] | add) == .summary.shards
    and all(.members[]; .state == "self" or .state == "alive")
    and all(.shards[] | select(.role == "owner"); .follower_synced)
  ' >/dev/null 2>&1 <<<"$body"
}

# Starts a three-node cluster with deploy/local-cluster.sh in $1 and waits until it settles; sets cluster_dir,
# cluster_http (n1..n3) and cluster_tcp (n1..n3).
start_cluster() {
  local dir="$1" attempt base
  for ((attempt = 1; attempt <= 3; attempt++)); do
    base="$(free_ports 6)"
    cluster_dir="$dir"
    # Three nodes share this machine's cores: each gets --cluster-event-loops event-loop threads (default 1).
    if LOCAL_CLUSTER_DIR="$dir" LOCAL_CLUSTER_HTTP_BASE="$base" LOCAL_CLUSTER_TCP_BASE=$((base + 3)) \
      QUOTAD_EVENT_LOOPS="$CLUSTER_EVENT_LOOPS" QUOTAD_BIN="$QUOTAD" "$LOCAL_CLUSTER" start >"$dir.start.log" 2>&1; then
      cluster_http=("$base" $((base + 1)) $((base + 2)))
      cluster_tcp=($((base + 3)) $((base + 4)) $((base + 5)))
      local deadline=$((SECONDS + START_TIMEOUT_SECONDS)) port
      while :; do
        local settled=1
        for port in "${cluster_http[@]}"; do
          cluster_settled "$port" || settled=0
        done
        ((settled)) && return 0
        ((SECONDS < deadline)) || break
        sleep 0.1
      done
      log "the cluster in $dir did not settle within ${START_TIMEOUT_SECONDS}s; its view from n1:"
      curl -fsS --max-time 2 "http://$HOST:${cluster_http[0]}/v1/cluster" 2>/dev/null | jq -c .summary >&2 || true
      die "cluster did not settle (logs in $dir)"
    fi
    log "deploy/local-cluster.sh start failed (attempt $attempt, ports $base-$((base + 5))):"
    cat "$dir.start.log" >&2
    cluster_dir=""
  done
  die "could not start the three-node cluster"
}

# ---------------------------------------------------------------------------------------------------------------
# Runs

# Runs quota-bench with the arguments given, its JSON into $1 and its stderr into $1.err; fails on a non-zero
# exit. Run in the background so that a signal reaches the traps at once.
run_bench() {
  local out="$1" status=0
  shift
  "$QUOTA_BENCH" "$@" >"$out" 2>"$out.err" &
  bench_pid=$!
  wait "$bench_pid" || status=$?
  bench_pid=""
  if ((status != 0)); then
    log "quota-bench failed with status $status: $QUOTA_BENCH $*"
    cat "$out.err" >&2
    return 1
  fi
}

# Whether quota-bench takes a list of ports: it refuses a bad command line with status 64 before connecting, and
# a list it takes fails later (nothing listens on ports 1 and 2).
bench_takes_port_list() {
  local status=0
  "$QUOTA_BENCH" --protocol binary --host "$HOST" --port 1,2 --connections 2 --no-setup --duration 0.1 \
    --warmup 0 --json >/dev/null 2>&1 || status=$?
  ((status != 64))
}

# Common workload arguments of a row.
workload_args() {
  local connections="$1" pipeline="$2"
  echo "--host $HOST --connections $connections --pipeline $pipeline --tenants $tenants" \
    "--distribution $distribution --seed $seed --mix consume=1 --period $PERIOD --duration $duration" \
    "--warmup $warmup --json"
}

cluster_port_note=""

# One quotad run of row $1, alternation $2; the JSON into $3.
run_quotad_side() {
  local row="$1" alternation="$2" out="$3" connections pipeline audit target
  read -r connections pipeline audit target <<<"$(row_params "$row")"
  local -a args
  read -r -a args <<<"$(workload_args "$connections" "$pipeline")"
  args+=(--protocol binary --audit "$audit" --limit "$LIMIT")
  if [[ "$target" == single ]]; then
    start_quotad "$work/quotad-$row-$alternation"
    args+=(--port "$quotad_tcp" --http-port "$quotad_http")
    if ! run_bench "$out" "${args[@]}"; then
      tail -n 20 "$work/quotad-$row-$alternation.log" >&2 || true
      return 1
    fi
    stop_quotad
    rm -rf "$work/quotad-$row-$alternation"
  else
    start_cluster "$work/cluster-$row-$alternation"
    local mode="$cluster_ports"
    if [[ "$mode" == auto ]]; then
      if bench_takes_port_list; then mode=all; else mode=first; fi
    elif [[ "$mode" == all ]] && ! bench_takes_port_list; then
      die "--cluster-ports all: $QUOTA_BENCH refuses a list of ports (--port P1,P2,P3); use auto or first"
    fi
    if [[ "$mode" == all ]]; then
      args+=(--port "$(
        IFS=,
        echo "${cluster_tcp[*]}"
      )")
      cluster_port_note=""
    else
      args+=(--port "${cluster_tcp[0]}")
      cluster_port_note="quota-bench connected to n1 only (--cluster-ports $cluster_ports"
      if [[ "$cluster_ports" == auto ]]; then cluster_port_note+=": this quota-bench takes no port list"; fi
      cluster_port_note+="); n1 took every connection, two thirds of the consumes were still forwarded"
    fi
    # The limits are set through n1's HTTP API, which forwards each to its tenant's owner.
    args+=(--http-port "${cluster_http[0]}")
    if ! run_bench "$out" "${args[@]}"; then
      tail -n 20 "$cluster_dir"/n*.log >&2 || true
      return 1
    fi
    local dir="$cluster_dir"
    stop_cluster
    rm -rf "$dir" "$dir.start.log"
  fi
}

# One Redis run of row $1; the JSON into $3.
run_redis_side() {
  local row="$1" out="$3" connections pipeline audit target
  read -r connections pipeline audit target <<<"$(row_params "$row")"
  local -a args
  read -r -a args <<<"$(workload_args "$connections" "$pipeline")"
  args+=(--protocol resp --port "$redis_port" --limit "$LIMIT")
  redis-cli -h "$HOST" -p "$redis_port" FLUSHALL >/dev/null
  run_bench "$out" "${args[@]}"
}

# "ops p50 p99 errors" of a quota-bench JSON report; ops are answered decisions per second.
summarize() {
  jq -r '
    (if .duration_seconds > 0 then (.allowed + .denied) / .duration_seconds else 0 end) as $ops
    | "\($ops) \(.p50_us) \(.p99_us) \(.errors) \(.allowed + .denied)"
  ' "$1"
}

# The median of the numbers given (the mean of the middle two for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print 0 } else if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 }
  }'
}

raw_dir="${json_dir:-$work/json}"
mkdir -p "$raw_dir" || die "cannot create $raw_dir"

start_redis
log "redis-server on $HOST:$redis_port; quotad $QUOTAD; quota-bench $QUOTA_BENCH"
log "rows: ${rows[*]}; $alternations alternation(s) of ${duration}s runs after ${warmup}s warmup;" \
  "$tenants tenants, $distribution, seed $seed"

declare -A result
for row in "${rows[@]}"; do
  for ((a = 1; a <= alternations; a++)); do
    # Odd alternations run quotad first, even ones Redis first, so that a drift in the machine's load does not
    # always favour the same side.
    if ((a % 2)); then sides=(quotad redis); else sides=(redis quotad); fi
    for side in "${sides[@]}"; do
      out="$raw_dir/$row-$side-$a.json"
      log "$row: $side run $a/$alternations"
      if [[ "$side" == quotad ]]; then
        run_quotad_side "$row" "$a" "$out" || die "the quotad run of $row failed"
      else
        run_redis_side "$row" "$a" "$out" || die "the Redis run of $row failed"
      fi
      read -r ops p50 p99 errors answered <<<"$(summarize "$out")"
      ((answered > 0)) || die "the $side run of $row answered no request (report: $out; errors: $(jq -c \
        .error_messages "$out"))"
      if ((errors > 0)); then
        log "warning: the $side run of $row had $errors failed requests: $(jq -c .error_messages "$out")"
      fi
      result[$row,$side,ops]+="$ops "
      result[$row,$side,p50]+="$p50 "
      result[$row,$side,p99]+="$p99 "
      result[$row,$side,errors]+="$errors "
      log "$row: $side $(printf '%.0f' "$ops") decisions/s, p50 ${p50} us, p99 ${p99} us, $errors errors"
    done
  done
done

# The script text quota-bench loads (RateLimitScripts.consume): the lines of the Swift multi-line literal, less
# its indentation, without a final newline.
consume_script() {
  local source="$REPO_DIR/Sources/QuotaBench/RESP/RateLimitScripts.swift"
  [[ -f "$source" ]] || return 1
  sed -n '/static let consume = """/,/^ *"""$/p' "$source" | sed '1d;$d' | sed 's/^        //'
}

redis_benchmark_lines=()
redis_benchmark_note=""
if ((redis_benchmark)); then
  declare -A seen_shape
  script_text="$(consume_script)" || script_text=""
  if [[ -z "$script_text" ]]; then
    redis_benchmark_note="redis-benchmark skipped: no RateLimitScripts.swift to read the script from"
  else
    sha="$(printf '%s' "$script_text" | redis-cli -h "$HOST" -p "$redis_port" -x SCRIPT LOAD)"
    # quota-bench loaded its script into this Redis; the same text has the same SHA1.
    if [[ "$(redis-cli -h "$HOST" -p "$redis_port" SCRIPT EXISTS "$sha" | head -n 1)" != 1 ]]; then
      redis_benchmark_note="note: script $sha (read from RateLimitScripts.swift) was not already loaded"
    fi
    for row in "${rows[@]}"; do
      read -r connections pipeline _ _ <<<"$(row_params "$row")"
      shape="c${connections}p${pipeline}"
      [[ -z "${seen_shape[$shape]:-}" ]] || continue
      seen_shape[$shape]=1
      # About the run's duration at the rates seen here, at least 1000 requests.
      case "$shape" in
      c1p1) rate=8000 ;;
      c50p1) rate=40000 ;;
      *) rate=100000 ;;
      esac
      requests="$(awk -v d="$duration" -v r="$rate" 'BEGIN { n = int(d * r); print (n < 1000 ? 1000 : n) }')"
      redis-cli -h "$HOST" -p "$redis_port" FLUSHALL >/dev/null
      log "redis-benchmark $shape: $requests requests"
      csv="$(redis-benchmark -h "$HOST" -p "$redis_port" -c "$connections" -P "$pipeline" -n "$requests" \
        -r "$tenants" --csv EVALSHA "$sha" 1 'q:__rand_int__' 1 "$LIMIT" "$PERIOD_SECONDS" 2>&1)" ||
        die "redis-benchmark failed: $csv"
      # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms",...
      line="$(tail -n 1 <<<"$csv" | tr -d '"' | awk -F, -v s="$shape" -v c="$connections" -v p="$pipeline" \
        -v n="$requests" '{ printf "%-8s %12.0f %10.0f %10.0f   (-c %s -P %s -n %d)", s, $2, $5 * 1000, $7 * 1000, c, p, n }')"
      redis_benchmark_lines+=("$line")
    done
  fi
fi

# ---------------------------------------------------------------------------------------------------------------
# Report

echo
echo "quotad (binary protocol) vs Redis (EVALSHA check-and-consume), same quota-bench workload:"
echo "  $tenants tenants, $distribution, seed $seed, --mix consume=1, hard limit $LIMIT per $PERIOD;" \
  "${duration}s recorded after ${warmup}s warmup; median of $alternations alternation(s)"
echo "  ops = answered decisions per second (allowed + denied; failed requests are counted in 'errors')"
echo
printf '%-18s %12s %12s %7s %10s %10s %10s %10s %13s\n' row quotad_ops redis_ops ratio q_p50_us q_p99_us \
  r_p50_us r_p99_us errors_q/r
row_lines=()
declare -A quotad_median
for row in "${rows[@]}"; do
  # shellcheck disable=SC2086 # the lists are space-separated numbers
  {
    q_ops="$(median ${result[$row,quotad,ops]})"
    r_ops="$(median ${result[$row,redis,ops]})"
    q_p50="$(median ${result[$row,quotad,p50]})"
    q_p99="$(median ${result[$row,quotad,p99]})"
    r_p50="$(median ${result[$row,redis,p50]})"
    r_p99="$(median ${result[$row,redis,p99]})"
    q_errors="$(printf '%s\n' ${result[$row,quotad,errors]} | awk '{ s += $1 } END { print s + 0 }')"
    r_errors="$(printf '%s\n' ${result[$row,redis,errors]} | awk '{ s += $1 } END { print s + 0 }')"
  }
  ratio="$(awk -v q="$q_ops" -v r="$r_ops" 'BEGIN { if (r > 0) printf "%.2f", q / r; else print "0.00" }')"
  quotad_median[$row]="$q_ops"
  printf '%-18s %12.0f %12.0f %7s %10.0f %10.0f %10.0f %10.0f %13s\n' "$row" "$q_ops" "$r_ops" "$ratio" \
    "$q_p50" "$q_p99" "$r_p50" "$r_p99" "$q_errors/$r_errors"
  row_lines+=("$(printf 'row=%s quotad_ops=%.0f redis_ops=%.0f ratio=%s quotad_p99_us=%.0f redis_p99_us=%.0f' \
    "$row" "$q_ops" "$r_ops" "$ratio" "$q_p99" "$r_p99")")
done
if [[ -n "${quotad_median[cluster3-c50p16]:-}" && -n "${quotad_median[c50p16-aggregate]:-}" ]]; then
  echo
  awk -v c="${quotad_median[cluster3-c50p16]}" -v s="${quotad_median[c50p16-aggregate]}" \
    'BEGIN { if (s > 0) printf "three-node cluster / single node at C=50,P=16 (quotad): %.2f\n", c / s }'
fi
if [[ -n "$cluster_port_note" ]]; then
  echo "cluster3-c50p16: $cluster_port_note"
fi

if ((redis_benchmark)); then
  echo
  echo "For reference, redis-benchmark (its own client, keys q:<random below $tenants>) with the same script:"
  if ((${#redis_benchmark_lines[@]} > 0)); then
    printf '%-8s %12s %10s %10s\n' shape ops p50_us p99_us
    printf '%s\n' "${redis_benchmark_lines[@]}"
  fi
  if [[ -n "$redis_benchmark_note" ]]; then echo "$redis_benchmark_note"; fi
fi
if [[ -n "$json_dir" ]]; then
  echo
  echo "raw quota-bench reports: $json_dir/<row>-<quotad|redis>-<alternation>.json"
fi

if ((http_wrk)); then
  echo
  http_args=(--duration "$duration" --warmup "$warmup" --tenants "$tenants" --seed "$seed")
  if ((smoke)); then http_args+=(--smoke); fi
  QUOTAD_BIN="$QUOTAD" QUOTA_BENCH_BIN="$QUOTA_BENCH" bash "$script_dir/http-wrk.sh" "${http_args[@]}" ||
    die "benchmarks/http-wrk.sh failed"
fi

echo
printf '%s\n' "${row_lines[@]}"
