#!/usr/bin/env bash
# quotad's HTTP consume under wrk (a real HTTP load tool), and the same through quota-bench --protocol http.
#
#   benchmarks/http-wrk.sh [OPTIONS]
#
# Installs wrk, jq and curl with apt-get when absent, builds quotad and quota-bench in release (swift build -c
# release --product …, in the repository this script belongs to), starts one quotad on 127.0.0.1 with ports the
# OS picks and a fresh temporary data directory, and sets a hard limit (1 000 000 000 per hour, audit aggregate)
# on api_calls for tenants bench-0 … bench-(N-1) with quota-bench's setup. Then:
#
#   wrk:          wrk --latency -t T -c C -d S, a Lua script POSTing /v1/tenants/bench-<i>/consume
#                 {"metric":"api_calls","amount":1}, i uniform over the tenants (a warmup run first)
#   quota-bench:  quota-bench --protocol http --connections C --pipeline 1 --tenants N --mix consume=1 (the same
#                 requests, its own warmup)
#
# Both are closed loops with C connections and one request outstanding on each. It prints wrk's own report, a
# table, and ends with one line per tool:
#
#   row=http-wrk-c<C> ops=<n> p50_us=<n> p99_us=<n> errors=<n>
#   row=http-quota-bench-c<C> ops=<n> p50_us=<n> p99_us=<n> errors=<n>
#
# "ops" are answered decisions per second (for wrk: responses with a 2xx status; every consume is allowed at this
# limit; for quota-bench: allowed + denied); errors are wrk's non-2xx responses and socket errors, or quota-bench's
# failed requests. It stops the quotad it started and removes its temporary directory on every exit path, except
# that after a failure it keeps the logs and reports there (not the database), which the failure's message points
# at, and says so.
#
# Options (each also an environment variable; an option wins over the variable):
#   --duration S     HTTP_WRK_DURATION     seconds recorded per tool, whole seconds (wrk's unit; a fraction is
#                                          rounded up) (default 10)
#   --warmup S       HTTP_WRK_WARMUP       seconds of load before recording, rounded up likewise (default 2)
#   --connections C  HTTP_WRK_CONNECTIONS  connections (default 50)
#   --threads T      HTTP_WRK_THREADS      wrk's threads (default 2)
#   --tenants N      HTTP_WRK_TENANTS      tenants (default 1000)
#   --seed N         HTTP_WRK_SEED         seed of wrk's and quota-bench's tenant choices (default 1)
#   --json-dir DIR   HTTP_WRK_JSON_DIR     keep quota-bench's JSON and wrk's output in DIR
#   --smoke          HTTP_WRK_SMOKE=1      CI mode: 1 s runs, no warmup (explicit options still win)
#   -h, --help
# Binaries: QUOTAD_BIN and QUOTA_BENCH_BIN name existing binaries to use instead of building them.
#
# Exit status: 0 when both runs completed; 1 on a failure (a tool missing, a build, the start, a run that failed
# or answered nothing); 2 for a usage error.
set -euo pipefail

readonly HOST=127.0.0.1
readonly PERIOD=hour
readonly LIMIT=1000000000
readonly START_TIMEOUT_SECONDS=30
readonly STOP_TIMEOUT_SECONDS=60

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$script_dir/.." && pwd)"
readonly REPO_DIR
readonly SCRIPT_NAME=http-wrk
# shellcheck source=benchmarks/common.sh
source "$script_dir/common.sh"

usage() {
  cat >&2 <<'EOF'
usage: http-wrk.sh [--smoke] [--duration S] [--warmup S] [--connections C] [--threads T] [--tenants N]
                   [--seed N] [--json-dir DIR]
Binaries: QUOTAD_BIN, QUOTA_BENCH_BIN (otherwise built with swift build -c release). See the top of this script.
EOF
  exit "${1:-2}"
}

duration="${HTTP_WRK_DURATION:-}"
warmup="${HTTP_WRK_WARMUP:-}"
connections="${HTTP_WRK_CONNECTIONS:-50}"
threads="${HTTP_WRK_THREADS:-2}"
tenants="${HTTP_WRK_TENANTS:-1000}"
seed="${HTTP_WRK_SEED:-1}"
json_dir="${HTTP_WRK_JSON_DIR:-}"
smoke="${HTTP_WRK_SMOKE:-0}"

while (($#)); do
  case "$1" in
  --duration) need_value "$1" $# && duration="$2" && shift ;;
  --warmup) need_value "$1" $# && warmup="$2" && shift ;;
  --connections) need_value "$1" $# && connections="$2" && shift ;;
  --threads) need_value "$1" $# && threads="$2" && shift ;;
  --tenants) need_value "$1" $# && tenants="$2" && shift ;;
  --seed) need_value "$1" $# && seed="$2" && shift ;;
  --json-dir) need_value "$1" $# && json_dir="$2" && shift ;;
  --smoke) smoke=1 ;;
  -h | --help) usage 0 ;;
  *) bad_usage "unknown argument '$1'" ;;
  esac
  shift
done

[[ "$smoke" == 0 || "$smoke" == 1 ]] || bad_usage "HTTP_WRK_SMOKE='$smoke' is not 0 or 1"
if ((smoke)); then
  duration="${duration:-1}"
  warmup="${warmup:-0}"
else
  duration="${duration:-10}"
  warmup="${warmup:-2}"
fi

# A number of seconds rounded up to whole seconds.
whole_seconds() { awk -v s="$1" 'BEGIN { n = int(s); if (n < s) n++; print n }'; }

{ is_number "$duration" && awk -v d="$duration" 'BEGIN { exit !(d > 0 && d <= 3600) }'; } ||
  bad_usage "--duration '$duration' is not a number of seconds above 0 and at most 3600"
{ is_number "$warmup" && awk -v w="$warmup" 'BEGIN { exit !(w <= 600) }'; } ||
  bad_usage "--warmup '$warmup' is not a number of seconds from 0 to 600"
duration="$(whole_seconds "$duration")"
warmup="$(whole_seconds "$warmup")"
{ is_count "$connections" && ((10#$connections <= 1000)); } ||
  bad_usage "--connections '$connections' is not a whole number from 1 to 1000"
connections=$((10#$connections))
{ is_count "$threads" && ((10#$threads <= 64)); } || bad_usage "--threads '$threads' is not a whole number from 1 to 64"
threads=$((10#$threads))
((threads <= connections)) || bad_usage "--threads ($threads) must not exceed --connections ($connections)"
{ is_count "$tenants" && ((10#$tenants <= 1000000)); } ||
  bad_usage "--tenants '$tenants' is not a whole number from 1 to 1000000"
tenants=$((10#$tenants))
[[ "$seed" =~ ^[0-9]{1,9}$ ]] || bad_usage "--seed '$seed' is not a whole number below 10^9"

ensure_commands wrk wrk jq jq

QUOTAD="$(binary_from QUOTAD_BIN quotad)"
QUOTA_BENCH="$(binary_from QUOTA_BENCH_BIN quota-bench)"
readonly QUOTAD QUOTA_BENCH

work="$(mktemp -d "${TMPDIR:-/tmp}/http-wrk.XXXXXX")"
quotad_pid=""
child_pid=""

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$child_pid" ]]; then terminate "$child_pid" 5; fi
  if [[ -n "$quotad_pid" ]]; then terminate "$quotad_pid" "$STOP_TIMEOUT_SECONDS"; fi
  remove_work_dir "$status" "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs a command in the background (so that a signal reaches the traps at once), its stdout into $1 and its
# stderr into $1.err; fails with its status.
run_child() {
  local out="$1" status=0
  shift
  "$@" >"$out" 2>"$out.err" &
  child_pid=$!
  wait "$child_pid" || status=$?
  child_pid=""
  if ((status != 0)); then
    log "failed with status $status: $*"
    cat "$out" "$out.err" >&2
    return "$status"
  fi
}

raw_dir="${json_dir:-$work/raw}"
mkdir -p "$raw_dir" || die "cannot create $raw_dir"

# One quotad, ports chosen by the OS, read from its "listening" lines.
log_file="$work/quotad.log"
mkdir -p "$work/data"
"$QUOTAD" --node-id n1 --http-host "$HOST" --http-port 0 --tcp-host "$HOST" --tcp-port 0 --data-dir "$work/data" \
  </dev/null >"$log_file" 2>&1 &
quotad_pid=$!
http_port=""
deadline=$((SECONDS + START_TIMEOUT_SECONDS))
while [[ -z "$http_port" ]]; do
  if ! kill -0 "$quotad_pid" 2>/dev/null; then
    tail -n 20 "$log_file" >&2 || true
    wait "$quotad_pid" 2>/dev/null || true
    quotad_pid=""
    die "quotad exited before it listened (log above)"
  fi
  ((SECONDS < deadline)) || die "quotad did not listen within ${START_TIMEOUT_SECONDS}s"
  sleep 0.05
  http_port="$(sed -n "s/^listening http=$HOST:\([0-9]*\).*$/\1/p" "$log_file" | head -n 1)"
done
log "quotad on http://$HOST:$http_port; $connections connections, ${duration}s runs after ${warmup}s warmup," \
  "$tenants tenants"

# The limits, with quota-bench's setup (and a single consume).
run_child "$raw_dir/setup.json" "$QUOTA_BENCH" --protocol http --host "$HOST" --port "$http_port" --connections 1 \
  --tenants "$tenants" --mix consume=1 --period "$PERIOD" --limit "$LIMIT" --audit aggregate --requests 1 \
  --warmup 0 --duration 5 --json || die "setting the limits failed"

cat >"$work/consume.lua" <<'EOF'
-- POST /v1/tenants/bench-<i>/consume {"metric":"api_calls","amount":1}, i uniform over the tenants.
-- Arguments (after --): tenants, seed. Prints one "wrk-summary" line at the end.
local counter = 0

function setup(thread)
  thread:set("thread_index", counter)
  counter = counter + 1
end

function init(args)
  tenants = tonumber(args[1]) or 1000
  math.randomseed((tonumber(args[2]) or 1) * 1000 + thread_index)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"metric":"api_calls","amount":1}'
end

function request()
  return wrk.format(nil, "/v1/tenants/bench-" .. math.random(0, tenants - 1) .. "/consume")
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "wrk-summary requests=%.0f duration_us=%.0f p50_us=%.0f p90_us=%.0f p99_us=%.0f max_us=%.0f " ..
    "status_errors=%.0f socket_errors=%.0f\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
EOF

url="http://$HOST:$http_port"
if ((warmup > 0)); then
  log "wrk warmup (${warmup}s)"
  run_child "$work/wrk-warmup.txt" wrk -t "$threads" -c "$connections" -d "${warmup}s" -s "$work/consume.lua" \
    "$url" -- "$tenants" "$seed" || die "wrk (warmup) failed"
fi
log "wrk (${duration}s)"
run_child "$raw_dir/wrk.txt" wrk --latency -t "$threads" -c "$connections" -d "${duration}s" \
  -s "$work/consume.lua" "$url" -- "$tenants" "$seed" || die "wrk failed"
echo "wrk --latency -t $threads -c $connections -d ${duration}s -s consume.lua $url -- $tenants $seed:"
grep -v '^wrk-summary ' "$raw_dir/wrk.txt"

summary="$(grep '^wrk-summary ' "$raw_dir/wrk.txt" | tail -n 1)"
[[ -n "$summary" ]] || die "wrk printed no summary line (its output: $raw_dir/wrk.txt)"
field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<" $summary"; }
wrk_requests="$(field requests)"
wrk_duration_us="$(field duration_us)"
wrk_status_errors="$(field status_errors)"
wrk_socket_errors="$(field socket_errors)"
wrk_p50="$(field p50_us)"
wrk_p99="$(field p99_us)"
wrk_answered=$((wrk_requests - wrk_status_errors))
wrk_errors=$((wrk_status_errors + wrk_socket_errors))
((wrk_answered > 0)) || die "wrk got no 2xx answer ($raw_dir/wrk.txt)"
wrk_ops="$(awk -v n="$wrk_answered" -v d="$wrk_duration_us" 'BEGIN { printf "%.0f", n / (d / 1e6) }')"

log "quota-bench --protocol http (${duration}s)"
run_child "$raw_dir/quota-bench-http.json" "$QUOTA_BENCH" --protocol http --host "$HOST" --port "$http_port" \
  --connections "$connections" --pipeline 1 --tenants "$tenants" --distribution uniform --seed "$seed" \
  --mix consume=1 --no-setup --duration "$duration" --warmup "$warmup" --json || die "quota-bench failed"
read -r qb_ops qb_p50 qb_p99 qb_errors qb_answered <<<"$(jq -r '
  (if .duration_seconds > 0 then (.allowed + .denied) / .duration_seconds else 0 end) as $ops
  | "\($ops) \(.p50_us) \(.p99_us) \(.errors) \(.allowed + .denied)"' "$raw_dir/quota-bench-http.json")"
((qb_answered > 0)) || die "quota-bench answered nothing ($raw_dir/quota-bench-http.json)"

echo
echo "quotad HTTP consume, $connections connections, 1 request outstanding on each, $tenants tenants," \
  "${duration}s after ${warmup}s warmup:"
printf '%-12s %10s %10s %10s %8s\n' tool ops p50_us p99_us errors
printf '%-12s %10.0f %10.0f %10.0f %8d\n' wrk "$wrk_ops" "$wrk_p50" "$wrk_p99" "$wrk_errors"
printf '%-12s %10.0f %10.0f %10.0f %8d\n' quota-bench "$qb_ops" "$qb_p50" "$qb_p99" "$qb_errors"
if [[ -n "$json_dir" ]]; then echo "raw outputs: $json_dir/wrk.txt, $json_dir/quota-bench-http.json"; fi
echo
printf 'row=http-wrk-c%d ops=%.0f p50_us=%.0f p99_us=%.0f errors=%d\n' "$connections" "$wrk_ops" "$wrk_p50" \
  "$wrk_p99" "$wrk_errors"
printf 'row=http-quota-bench-c%d ops=%.0f p50_us=%.0f p99_us=%.0f errors=%d\n' "$connections" "$qb_ops" "$qb_p50" \
  "$qb_p99" "$qb_errors"
