#!/usr/bin/env bash
# Tests deploy/local-cluster.sh against a stub quotad (a script that prints "listening http=…" and sleeps), in a
# temporary directory: start, status, stop, a second start refused, stale and unreadable pid files, a node that
# exits at start, a missing binary, bad settings and usage errors. Takes a few seconds; needs no build.
set -euo pipefail
cd "$(dirname "$0")/.."
script="$PWD/deploy/local-cluster.sh"

work="$(mktemp -d)"
cleanup() {
  # Stop anything a failed check left running, then remove the directory.
  LOCAL_CLUSTER_DIR="$work/cluster" QUOTAD_BIN="$work/stub" "$script" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/stub" <<'EOF'
#!/usr/bin/env bash
node="" http="" args="$*"
while (($#)); do
  case "$1" in
  --node-id) node="$2"; shift ;;
  --http-port) http="$2"; shift ;;
  esac
  shift
done
echo "stub quotad $args"
if [[ "${STUB_FAIL:-}" == "$node" ]]; then echo "stub: $node cannot bind" >&2; exit 1; fi
echo "listening http=127.0.0.1:$http"
trap 'exit 0' TERM
while :; do sleep 0.1; done
EOF
chmod +x "$work/stub"

export LOCAL_CLUSTER_DIR="$work/cluster" QUOTAD_BIN="$work/stub"
# Ports nothing is expected to listen on: the stub binds none, and status's curl must find no node.
export LOCAL_CLUSTER_HTTP_BASE=39181 LOCAL_CLUSTER_TCP_BASE=39171

failures=0
# check NAME EXPECTED_STATUS PATTERN COMMAND...: runs COMMAND, and checks its status and that its combined
# output matches the extended regular expression PATTERN.
check() {
  local name="$1" expected="$2" pattern="$3" status=0 output
  shift 3
  output="$("$@" 2>&1)" || status=$?
  if [[ "$status" != "$expected" ]] || ! grep -qE -- "$pattern" <<<"$output"; then
    echo "FAIL: $name (status $status, expected $expected; output must match /$pattern/):"
    local line
    while IFS= read -r line; do echo "    $line"; done <<<"$output"
    failures=$((failures + 1))
  else
    echo "ok: $name"
  fi
}

check "status before start" 3 "^n1: not running$" "$script" status
check "start" 0 "n3: pid [0-9]+  http=http://127.0.0.1:39183  tcp=127.0.0.1:39173" "$script" start
check "the stub got the interface" 0 \
  "--node-id n2 --peers n1=127.0.0.1:39171,n2=127.0.0.1:39172,n3=127.0.0.1:39173 --http-port 39182 --tcp-port 39172 --data-dir $work/cluster/n2" \
  cat "$work/cluster/n2.log"
check "status while running" 0 "^n2: running \(pid [0-9]+\).*no answer from http://127.0.0.1:39182/v1/cluster" \
  "$script" status
check "second start refused" 1 "already running: n1 \(pid [0-9]+\) n2 .* n3 " "$script" start
check "start of one running node refused" 1 "already running: n2 " "$script" start n2
check "stop one node" 0 "^n2: stopped \(pid [0-9]+\)$" "$script" stop n2
check "status with one node stopped" 3 "^n2: not running$" "$script" status
check "start the stopped node alone" 0 "^n2: pid [0-9]+" "$script" start n2
check "stop" 0 "n1: stopped.*" "$script" stop
check "no pid files left" 0 "^$" find "$work/cluster" -name '*.pid'
check "stop when stopped" 0 "^n3: not running$" "$script" stop

echo 999999 >"$work/cluster/n1.pid"
check "status with a stale pid file" 3 "^n1: not running \(stale pid file for pid 999999\)$" "$script" status n1
check "stop removes a stale pid file" 0 "^n1: not running \(stale pid file for pid 999999 removed\)$" "$script" stop n1
echo garbage >"$work/cluster/n1.pid"
check "stop removes an unreadable pid file" 0 "^n1: not running \(unreadable pid file removed\)$" "$script" stop n1
# A pid file whose pid now belongs to another process: stale, and that process is left alone.
sleep 60 &
other=$!
echo "$other" >"$work/cluster/n1.pid"
check "a reused pid is not the node" 3 "^n1: not running \(stale pid file for pid $other\)$" "$script" status n1
check "stop leaves the other process alone" 0 "^n1: not running \(stale pid file for pid $other removed\)$" \
  "$script" stop n1
check "the other process still runs" 0 "" kill -0 "$other"
kill "$other"
echo 999999 >"$work/cluster/n3.pid"
check "start over a stale pid file" 0 "^n3: pid [0-9]+" "$script" start n3
check "stop n3" 0 "^n3: stopped" "$script" stop n3

check "a node that exits at start" 1 "n2 exited before it listened.*" env STUB_FAIL=n2 "$script" start
check "its log is shown" 1 "stub: n2 cannot bind" env STUB_FAIL=n2 "$script" start
check "the nodes it started are stopped" 3 "^n1: not running$" "$script" status

check "no binary" 1 "QUOTAD_BIN=$work/missing is not an executable file" env QUOTAD_BIN="$work/missing" "$script" start
mkdir -p "$work/repo/deploy"
cp "$script" "$work/repo/deploy/"
check "no built binary" 1 "no quotad binary: .*swift build" env -u QUOTAD_BIN "$work/repo/deploy/local-cluster.sh" start
check "bad port base" 1 "LOCAL_CLUSTER_HTTP_BASE='x' is not a port" env LOCAL_CLUSTER_HTTP_BASE=x "$script" status
check "overlapping ports" 1 "overlap" env LOCAL_CLUSTER_HTTP_BASE=39172 "$script" status
check "unknown command" 2 "unknown command 'restart'" "$script" restart
check "unknown node" 2 "unknown node 'n4'" "$script" start n4
check "no command" 2 "^usage: local-cluster.sh" "$script"

if ((failures > 0)); then
  echo "$failures check(s) failed"
  exit 1
fi
echo "local-cluster.sh: all checks passed"
