#!/usr/bin/env bash
# demo_repeat.sh [RUNS] — runs scripts/demo.sh RUNS times in a row (default 20), then once more
# with a step made to fail, and once interrupted with Ctrl-C (SIGINT to its process group, as a
# terminal sends it). Every run must pass (exit 0, every step shown), the failing one must stop at
# that step with status 1, the interrupted one must end with 130, and after each one nothing the
# demo started may still run. Uses the binaries of DEMO_BIN (default build/).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-20}
export DEMO_BIN=${DEMO_BIN:-$top/build}
tmp=$(mktemp -d /tmp/demo-repeat.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "demo_repeat: FAILED: $*" >&2; exit 1; }

# run_demo OUT: starts the demo in a session of its own (so that everything it starts can be found
# afterwards by session id): $launcher is the process to wait for, $sid its session.
run_demo() {
  rm -f "$tmp/sid"
  # (a background job ignores SIGINT unless told otherwise; a terminal's demo does not)
  setsid env --default-signal=INT bash -c 'echo $$ >"$1"; exec "$2"' _ "$tmp/sid" "$top/scripts/demo.sh" >"$1" 2>&1 &
  launcher=$!
  for _ in $(seq 100); do [ -s "$tmp/sid" ] && break; sleep 0.05; done
  [ -s "$tmp/sid" ] || fail "the demo did not start"
  sid=$(cat "$tmp/sid")
}

# nothing of session $1 may still run (a leftover broker, simulator, daemon or controller)
check_nothing_left() {
  local left
  left=$(ps -o pid=,args= -s "$1" 2>/dev/null || true)
  [ -z "$left" ] || { kill -KILL -- -"$1" 2>/dev/null || true; fail "$2: still running:
$left"; }
}

# the work directory the demo names; its logs must hold no sanitizer report
check_logs() {
  local work
  work=$(sed -n 's/^demo: logs and config kept in //p' "$1")
  [ -n "$work" ] || fail "$2: the demo named no work directory"
  if grep -lE 'AddressSanitizer|LeakSanitizer|runtime error:' "$work"/*.log 2>/dev/null; then
    fail "$2: a sanitizer reported in $work"
  fi
  rm -rf "$work"
}

for ((i = 1; i <= runs; i++)); do
  run_demo "$tmp/out"
  rc=0
  wait "$launcher" || rc=$?
  check_nothing_left "$sid" "run $i"
  if [ "$rc" -ne 0 ] || ! grep -q '^demo: done' "$tmp/out"; then
    cat "$tmp/out" >&2
    fail "run $i of $runs ended with status $rc"
  fi
  for want in '== USP Get of the router' 'Device.DeviceInfo.Manufacturer = MikroTik' \
    'Device.NAT.PortMapping.1.Description = set over USP by the demo' \
    'ValueChange Device.DeviceInfo.HostName = renamed-by-the-demo' '"4 VALUE CHANGE"' \
    'ValueChange Device.DeviceInfo.HostName = renamed-by-the-acs' 'usp-only' 'HTTP 503'; do
    grep -qF -- "$want" "$tmp/out" || { cat "$tmp/out" >&2; fail "run $i: no \"$want\""; }
  done
  check_logs "$tmp/out" "run $i"
  echo "demo_repeat: run $i of $runs passed"
done

# a step that fails ends the demo at once, loudly, and stops everything: here the router refuses
# the Set of the port mapping
DEMO_SIM_ARGS="--fault trap:0:/ip/firewall/nat/set" run_demo "$tmp/out"
rc=0
wait "$launcher" || rc=$?
check_nothing_left "$sid" "the failing run"
[ "$rc" -eq 1 ] || { cat "$tmp/out" >&2; fail "the failing run ended with $rc, not 1"; }
grep -q '^demo: FAILED: Set of the port mapping' "$tmp/out" ||
  { cat "$tmp/out" >&2; fail "the failing run did not name the failed step"; }
! grep -q '^== USP subscription' "$tmp/out" || fail "the failing run went on after the failure"
check_logs "$tmp/out" "the failing run"

# Ctrl-C in the middle: the demo stops everything it started and says so
run_demo "$tmp/out"
for _ in $(seq 600); do grep -q '^== USP Get' "$tmp/out" && break; sleep 0.05; done
grep -q '^== USP Get' "$tmp/out" || { cat "$tmp/out" >&2; fail "the interrupted run never got going"; }
kill -INT -- -"$sid"
rc=0
wait "$launcher" || rc=$?
check_nothing_left "$sid" "the interrupted run"
[ "$rc" -eq 130 ] || { cat "$tmp/out" >&2; fail "the interrupted run ended with $rc, not 130"; }
grep -q '^demo: interrupted' "$tmp/out" || fail "the interrupted run did not say so"
check_logs "$tmp/out" "the interrupted run"
echo "demo_repeat: $runs runs passed; a failed step and Ctrl-C left nothing running"
