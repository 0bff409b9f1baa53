# shellcheck shell=bash
# Functions shared by benchmarks/compare-redis.sh and benchmarks/http-wrk.sh; sourced, not run.
#
# The sourcing script sets SCRIPT_NAME (the prefix of its messages) and REPO_DIR (the repository it belongs to),
# and defines usage (which prints the usage and exits with status $1) before calling anything here.

# Prints an error and exits with status 1.
die() {
  echo "$SCRIPT_NAME: error: $*" >&2
  exit 1
}

# Prints a usage error and the usage, and exits with status 2.
bad_usage() {
  echo "$SCRIPT_NAME: $*" >&2
  usage 2
}

# Prints a progress line to standard error.
log() { echo "$SCRIPT_NAME: $*" >&2; }

# The value of option $1, which must be present ($2 is the number of arguments left, option included).
need_value() {
  (($2 >= 2)) || bad_usage "option $1 needs a value"
}

# Whether $1 is a non-negative decimal number (12, 1.5, .5).
is_number() { [[ "$1" =~ ^([0-9]+([.][0-9]*)?|[.][0-9]+)$ ]]; }

# Whether $1 is a whole number from 1 to 999 999 999.
is_count() { [[ "$1" =~ ^[0-9]{1,9}$ ]] && ((10#$1 >= 1)); }

# Installs the Debian packages that provide the missing commands: pairs of "command package".
ensure_commands() {
  local -a packages=()
  while (($#)); do
    if ! command -v "$1" >/dev/null 2>&1 && [[ " ${packages[*]-} " != *" $2 "* ]]; then packages+=("$2"); fi
    shift 2
  done
  ((${#packages[@]} > 0)) || return 0
  command -v apt-get >/dev/null 2>&1 || die "missing ${packages[*]} and no apt-get to install them"
  ((EUID == 0)) || die "missing ${packages[*]}; install them (apt-get install ${packages[*]}) or run as root"
  log "installing ${packages[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >&2
}

# Prints the path of product $2: the executable named by the variable $1 when set, else one built with
# swift build -c release in REPO_DIR. One product per swift build (SwiftPM's --product takes one); a second build
# reuses the first's modules.
binary_from() {
  local variable="$1" product="$2" value="${!1:-}"
  if [[ -n "$value" ]]; then
    [[ -f "$value" && -x "$value" ]] || die "$variable=$value is not an executable file"
    echo "$value"
    return
  fi
  log "building $product (swift build -c release --product $product in $REPO_DIR)"
  (cd "$REPO_DIR" && swift build -c release --product "$product" >&2) || die "swift build of $product failed"
  [[ -x "$REPO_DIR/.build/release/$product" ]] || die "swift build left no $REPO_DIR/.build/release/$product"
  echo "$REPO_DIR/.build/release/$product"
}

# Removes the temporary directory $2 of a script exiting with status $1. After a failure (a status other than 0,
# 130 or 143) the failure's message may point at a log or report in it: then only the databases go (quotad's
# *.sqlite files), the logs and reports stay, and a last line says where.
remove_work_dir() {
  local status="$1" dir="$2"
  if ((status == 0 || status == 130 || status == 143)); then
    rm -rf "$dir"
  else
    find "$dir" -name '*.sqlite*' -delete 2>/dev/null || true
    log "the logs and reports of this failed run are kept in $dir (remove it when done)"
  fi
}

# Waits up to $2 seconds for process $1 (a child of this shell) to exit after SIGTERM, then SIGKILLs it.
terminate() {
  local pid="$1" timeout="$2" tries=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && ((tries < timeout * 10)); do
    sleep 0.1
    tries=$((tries + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid still running ${timeout}s after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
