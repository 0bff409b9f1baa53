#!/usr/bin/env bash
# A three-node quotad cluster on 127.0.0.1, for trying the cluster out on one machine.
#
#   deploy/local-cluster.sh start  [NODE...]   start n1, n2 and n3 (or the nodes named) and wait until they listen
#   deploy/local-cluster.sh stop   [NODE...]   SIGTERM, wait (SIGKILL after 30 s), remove the pid files
#   deploy/local-cluster.sh status [NODE...]   whether each node runs, and its /v1/cluster summary (needs curl)
#
# Every node gets its own data directory, log and pid file in the base directory:
#   LOCAL_CLUSTER_DIR        base directory (default ./local-cluster, relative to the current directory)
#   LOCAL_CLUSTER_HTTP_BASE  HTTP port of n1; n2 and n3 take the next two (default 8081)
#   LOCAL_CLUSTER_TCP_BASE   binary-protocol port of n1, also the peers' port; n2 and n3 the next two (default 7071)
#   QUOTAD_BIN               the quotad binary (default .build/release/quotad, else .build/debug/quotad,
#                            in the repository this script belongs to)
# Every other QUOTAD_* variable reaches the nodes (quotad reads its flags from them), for example
#   QUOTAD_EVENT_LOOPS=1     one event-loop thread per node: their share of a 2-core machine
#
# Exit status: 0 on success; 1 on an error (no binary, a node already running, a node that did not start);
# 2 for a usage error; for status, 3 when a node is not running.
set -euo pipefail

readonly NODES=(n1 n2 n3)
readonly HOST=127.0.0.1
readonly START_TIMEOUT_SECONDS=30
readonly STOP_TIMEOUT_SECONDS=30

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$script_dir/.." && pwd)"
readonly REPO_DIR

# Prints the usage to standard error and exits with status $1 (default 2, a usage error).
usage() {
  cat >&2 <<'EOF'
usage: local-cluster.sh start|stop|status [NODE...]
  start   start quotad nodes n1, n2 and n3 on 127.0.0.1 and wait until each listens
  stop    stop them (SIGTERM; SIGKILL after 30 s)
  status  show whether each runs and, with curl, its view of the cluster
NODE is n1, n2 or n3 (all three when none is given). Settings: LOCAL_CLUSTER_DIR, LOCAL_CLUSTER_HTTP_BASE,
LOCAL_CLUSTER_TCP_BASE, QUOTAD_BIN (see the top of this script).
EOF
  exit "${1:-2}"
}

die() {
  echo "local-cluster: error: $*" >&2
  exit 1
}

# A port base from the environment: an integer such that base..base+2 are valid ports.
port_base() {
  local name="$1" value="$2"
  if ! [[ "$value" =~ ^[0-9]{1,5}$ ]] || ((10#$value < 1 || 10#$value + ${#NODES[@]} - 1 > 65535)); then
    die "$name='$value' is not a port from 1 to $((65535 - ${#NODES[@]} + 1))"
  fi
  echo "$((10#$value))"
}

base_dir_setting="${LOCAL_CLUSTER_DIR:-./local-cluster}"
http_base="$(port_base LOCAL_CLUSTER_HTTP_BASE "${LOCAL_CLUSTER_HTTP_BASE:-8081}")"
tcp_base="$(port_base LOCAL_CLUSTER_TCP_BASE "${LOCAL_CLUSTER_TCP_BASE:-7071}")"
if ((http_base <= tcp_base + ${#NODES[@]} - 1 && tcp_base <= http_base + ${#NODES[@]} - 1)); then
  die "the HTTP ports ($http_base-$((http_base + 2))) and TCP ports ($tcp_base-$((tcp_base + 2))) overlap"
fi

# The base directory as an absolute path (it need not exist yet).
base_dir() {
  case "$base_dir_setting" in
  /*) echo "$base_dir_setting" ;;
  *) echo "$PWD/${base_dir_setting#./}" ;;
  esac
}

node_index() {
  local node="$1" i
  for i in "${!NODES[@]}"; do
    if [[ "${NODES[$i]}" == "$node" ]]; then
      echo "$i"
      return 0
    fi
  done
  return 1
}

http_port() { echo $((http_base + $(node_index "$1"))); }
tcp_port() { echo $((tcp_base + $(node_index "$1"))); }
data_dir() { echo "$(base_dir)/$1"; }
log_file() { echo "$(base_dir)/$1.log"; }
pid_file() { echo "$(base_dir)/$1.pid"; }

peers() {
  local node list=""
  for node in "${NODES[@]}"; do
    list+="${list:+,}$node=$HOST:$(tcp_port "$node")"
  done
  echo "$list"
}

# The pid in the node's pid file, or nothing when there is no usable pid file.
read_pid() {
  local file
  file="$(pid_file "$1")"
  [[ -f "$file" ]] || return 0
  local pid
  pid="$(tr -d '[:space:]' <"$file")"
  if [[ "$pid" =~ ^[0-9]+$ ]]; then echo "$pid"; fi
}

# Whether process $1 runs: it exists and is not a zombie (a zombie no one reaped has exited).
running() {
  local pid="$1" state
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  if command -v ps >/dev/null 2>&1; then
    state="$(ps -o stat= -p "$pid" 2>/dev/null || true)"
    [[ -n "$state" && "$state" != Z* ]] || return 1
  fi
  return 0
}

# Whether process $1 runs and is node $2: its command line has "--node-id $2", so that a pid file whose pid now
# belongs to another process is taken as stale, and that process is never signalled. Without ps, only whether
# it runs.
alive() {
  local pid="$1" node="$2" args
  running "$pid" || return 1
  if command -v ps >/dev/null 2>&1; then
    args="$(ps -o args= -p "$pid" 2>/dev/null || true)"
    [[ " $args " == *" --node-id $node "* ]] || return 1
  fi
  return 0
}

find_quotad() {
  if [[ -n "${QUOTAD_BIN:-}" ]]; then
    [[ -f "$QUOTAD_BIN" && -x "$QUOTAD_BIN" ]] || die "QUOTAD_BIN=$QUOTAD_BIN is not an executable file"
    echo "$QUOTAD_BIN"
    return
  fi
  local candidate
  for candidate in "$REPO_DIR/.build/release/quotad" "$REPO_DIR/.build/debug/quotad"; do
    if [[ -f "$candidate" && -x "$candidate" ]]; then
      echo "$candidate"
      return
    fi
  done
  die "no quotad binary: neither $REPO_DIR/.build/release/quotad nor $REPO_DIR/.build/debug/quotad exists." \
    "Build it first with 'swift build --product quotad' (or 'swift build -c release --product quotad')" \
    "in $REPO_DIR, or set QUOTAD_BIN to a quotad binary."
}

# The address in the node's "listening http=HOST:PORT" line, or nothing yet.
listening_http() {
  local log
  log="$(log_file "$1")"
  [[ -f "$log" ]] || return 0
  sed -n 's/^listening http=\([^[:space:]]*\).*$/\1/p' "$log" | head -n 1
}

print_log_tail() {
  local log
  log="$(log_file "$1")"
  if [[ -s "$log" ]]; then
    echo "--- last lines of $log:" >&2
    tail -n 20 "$log" >&2
  fi
}

# Sends SIGTERM to the given nodes, waits for them to exit (SIGKILL after the timeout), removes their pid files.
stop_nodes() {
  local node pid
  local -a waiting=()
  for node in "$@"; do
    pid="$(read_pid "$node")"
    if [[ -z "$pid" ]]; then
      if [[ -f "$(pid_file "$node")" ]]; then
        echo "$node: not running (unreadable pid file removed)"
        rm -f "$(pid_file "$node")"
      else
        echo "$node: not running"
      fi
    elif alive "$pid" "$node"; then
      kill -TERM "$pid" 2>/dev/null || true
      waiting+=("$node")
    else
      echo "$node: not running (stale pid file for pid $pid removed)"
      rm -f "$(pid_file "$node")"
    fi
  done
  ((${#waiting[@]} > 0)) || return 0

  # SECONDS counts whole seconds: one more makes the wait at least the full timeout.
  local deadline=$((SECONDS + STOP_TIMEOUT_SECONDS + 1))
  while :; do
    local -a still=()
    for node in "${waiting[@]}"; do
      pid="$(read_pid "$node")"
      if running "$pid"; then
        still+=("$node")
      else
        echo "$node: stopped (pid $pid)"
        rm -f "$(pid_file "$node")"
      fi
    done
    waiting=("${still[@]+"${still[@]}"}")
    ((${#waiting[@]} > 0)) || return 0
    ((SECONDS < deadline)) || break
    sleep 0.1
  done
  for node in "${waiting[@]}"; do
    pid="$(read_pid "$node")"
    echo "$node: still running ${STOP_TIMEOUT_SECONDS}s after SIGTERM; sending SIGKILL to pid $pid" >&2
    kill -KILL "$pid" 2>/dev/null || true
    local tries=0
    while running "$pid" && ((tries < 50)); do
      sleep 0.1
      tries=$((tries + 1))
    done
    rm -f "$(pid_file "$node")"
    echo "$node: killed (pid $pid)"
  done
}

cmd_start() {
  local quotad node pid
  quotad="$(find_quotad)"

  # Refuse before starting anything: a node whose pid file names a live process is already running.
  local -a running=()
  for node in "$@"; do
    pid="$(read_pid "$node")"
    if [[ -n "$pid" ]] && alive "$pid" "$node"; then
      running+=("$node (pid $pid)")
    fi
  done
  if ((${#running[@]} > 0)); then
    die "already running: ${running[*]}; run '$0 stop' first (pid files in $(base_dir))"
  fi

  local started=()
  mkdir -p "$(base_dir)"
  for node in "$@"; do
    rm -f "$(pid_file "$node")"
    mkdir -p "$(data_dir "$node")"
    local log
    log="$(log_file "$node")"
    if [[ -f "$log" ]]; then mv -f "$log" "$log.old"; fi
    nohup "$quotad" \
      --node-id "$node" \
      --peers "$(peers)" \
      --http-port "$(http_port "$node")" \
      --tcp-port "$(tcp_port "$node")" \
      --data-dir "$(data_dir "$node")" \
      </dev/null >"$log" 2>&1 &
    echo "$!" >"$(pid_file "$node")"
    started+=("$node")
  done

  # Wait until every node announces its HTTP listener.
  local deadline=$((SECONDS + START_TIMEOUT_SECONDS + 1))
  local failed=""
  for node in "${started[@]}"; do
    pid="$(read_pid "$node")"
    while [[ -z "$(listening_http "$node")" ]]; do
      if ! running "$pid"; then
        failed="$node exited before it listened"
        break 2
      fi
      if ((SECONDS >= deadline)); then
        failed="$node did not print 'listening http=' within ${START_TIMEOUT_SECONDS}s"
        break 2
      fi
      sleep 0.1
    done
  done
  if [[ -n "$failed" ]]; then
    echo "local-cluster: error: $failed (log: $(log_file "${failed%% *}"))" >&2
    print_log_tail "${failed%% *}"
    echo "local-cluster: stopping the nodes this command started" >&2
    stop_nodes "${started[@]}" >&2
    exit 1
  fi

  echo "started $quotad with --peers $(peers)"
  for node in "${started[@]}"; do
    echo "$node: pid $(read_pid "$node")  http=http://$(listening_http "$node")  tcp=$HOST:$(tcp_port "$node")" \
      " data=$(data_dir "$node")  log=$(log_file "$node")"
  done
}

cmd_stop() {
  stop_nodes "$@"
}

# The "summary" object of a /v1/cluster answer, compact, or nothing when there is none.
cluster_summary() {
  local body="$1"
  if command -v jq >/dev/null 2>&1; then
    jq -c '.summary // empty' <<<"$body" 2>/dev/null || true
  else
    grep -oE '"summary":\{[^{}]*(\{[^{}]*\}[^{}]*)*\}' <<<"$body" | head -n 1 | sed 's/^"summary"://' || true
  fi
}

cmd_status() {
  local node pid status=0
  local have_curl=1
  command -v curl >/dev/null 2>&1 || have_curl=0
  for node in "$@"; do
    pid="$(read_pid "$node")"
    local url
    url="http://$HOST:$(http_port "$node")"
    if [[ -n "$pid" ]] && alive "$pid" "$node"; then
      local line
      line="$node: running (pid $pid)  http=$url  tcp=$HOST:$(tcp_port "$node")"
      if ((have_curl)); then
        local body summary
        body="$(curl -fsS --max-time 2 "$url/v1/cluster" 2>/dev/null || true)"
        summary="$(cluster_summary "$body")"
        line+="  summary=${summary:-(no answer from $url/v1/cluster)}"
      fi
      echo "$line"
    else
      if [[ -n "$pid" ]]; then
        echo "$node: not running (stale pid file for pid $pid)"
      else
        echo "$node: not running"
      fi
      status=3
    fi
  done
  if ((!have_curl)); then echo "(curl not found: no cluster summaries)"; fi
  return "$status"
}

main() {
  (($# >= 1)) || usage
  local command="$1"
  shift
  local -a selected=()
  local node
  for node in "$@"; do
    node_index "$node" >/dev/null || {
      echo "local-cluster: unknown node '$node' (expected ${NODES[*]})" >&2
      usage
    }
    if [[ " ${selected[*]-} " != *" $node "* ]]; then selected+=("$node"); fi
  done
  ((${#selected[@]} > 0)) || selected=("${NODES[@]}")
  case "$command" in
  start) cmd_start "${selected[@]}" ;;
  stop) cmd_stop "${selected[@]}" ;;
  status) cmd_status "${selected[@]}" ;;
  -h | --help | help) usage 0 ;;
  *)
    echo "local-cluster: unknown command '$command'" >&2
    usage
    ;;
  esac
}

main "$@"
