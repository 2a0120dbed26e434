#!/usr/bin/env bash
# demo.sh — the main job, end to end on this machine: a real mosquitto broker, simulated MikroTik
# routers (routeros-sim), the test ACS (trbridge-test-acs) and trbridge serving each router as a
# CWMP CPE and a USP agent. The ACS moves one router to the USP controller (trbridge-ctl), which
# reads and writes it over USP/MQTT; a change through either protocol reaches the other; then the
# controller turns CWMP off for that router; curl on trbridge's metrics endpoint shows the counters
# before and after (the demo fails if they did not move). Installs missing packages and builds first.
#
# Every step waits for the state it needs (never for a fixed time) and a failed step stops the demo
# with "demo: FAILED: …" and exit status 1. Everything it starts is stopped when it ends, fails or
# is interrupted (Ctrl-C). DEMO_BIN=<build dir> uses binaries already built there (no build);
# DEMO_ROUTERS sets the number of simulated routers (default 3); DEMO_SIM_ARGS adds routeros-sim
# arguments (e.g. a --fault, to see a step fail).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
routers=${DEMO_ROUTERS:-3}
controller=self::demo-controller

say() { printf '%s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }
die() { printf 'demo: FAILED: %s\n' "$*" >&2; exit 1; }

# wait_until DESCRIPTION SECONDS COMMAND...: runs COMMAND until it succeeds; fails the demo when
# SECONDS pass first. A condition, polled — never a fixed wait.
wait_until() {
  local what=$1 secs=$2 deadline=$((SECONDS + $2))
  shift 2
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what: not within ${secs}s"
    sleep 0.1
  done
}

# ---- what the demo started, and stopping all of it ----
work=""
pids=()
stop_all() {
  local rc=$? p
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  [ -n "$work" ] && say "demo: logs and config kept in $work"
  exit "$rc"
}
trap stop_all EXIT
trap 'say "demo: interrupted" >&2; exit 130' INT
trap 'exit 143' TERM

# start NAME COMMAND...: runs COMMAND in the background, output in $work/NAME.log
start() {
  local name=$1
  shift
  "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
}

# serve NAME COUNT LAUNCH: picks COUNT free ports, runs `LAUNCH FIRST_PORT` (which starts NAME with
# `start`) and waits until the last port listens; sets $port. Another process may bind a port
# between the pick and the daemon's bind (the daemon then exits): it tries other ports.
serve() {
  local name=$1 count=$2 launch=$3 pid deadline
  for _ in 1 2 3 4 5; do
    port=$(pick_ports "$count")
    "$launch" "$port"
    pid=${pids[-1]}
    deadline=$((SECONDS + 20))
    while kill -0 "$pid" 2>/dev/null; do
      listens $((port + count - 1)) && return 0
      [ "$SECONDS" -lt "$deadline" ] || die "$name does not listen on $port; see $work/$name.log"
      sleep 0.1
    done
    wait "$pid" 2>/dev/null || true
    unset 'pids[-1]'
    say "demo: $name could not take port $port: $(tail -1 "$work/$name.log"); trying others" >&2
  done
  die "$name did not start; see $work/$name.log"
}

# pick_ports N: the first of N consecutive loopback ports nothing listens on, below the kernel's
# ephemeral range (where an outgoing connection could take one behind our back)
pick_ports() {
  local lo base n
  read -r lo _ </proc/sys/net/ipv4/ip_local_port_range
  for _ in $(seq 50); do
    base=$((10000 + RANDOM % (lo - 10000 - $1)))
    for ((n = 0; n < $1; n++)); do
      listens $((base + n)) && break
    done
    [ "$n" -eq "$1" ] && { echo "$base"; return; }
  done
  die "no free ports"
}
listens() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# log_has FILE TEXT: the file holds the text (fixed string)
log_has() { grep -qF -- "$2" "$1" 2>/dev/null; }

# ---- build ----
if [ -n "${DEMO_BIN:-}" ]; then
  bin=$DEMO_BIN
else
  bin=$top/build
  say "demo: building in $bin (installs missing packages first)"
  "$top/scripts/build.sh" "$bin" >/dev/null || die "the build failed"
fi
for b in bridge/trbridge tools/routeros-sim tools/ctl/trbridge-ctl tools/test-acs/trbridge-test-acs; do
  [ -x "$bin/$b" ] || die "$bin/$b is missing"
done
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || die "mosquitto is not installed"
mosquitto_bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)

work=$(mktemp -d /tmp/trbridge-demo.XXXXXX)
chmod 0777 "$work" # mosquitto may drop to its own user and must still write its log here

# ---- the broker and the routers ----
launch_mosquitto() {
  cat >"$work/mosquitto.conf" <<CONF
listener $1 127.0.0.1
allow_anonymous true
persistence false
$( [ "$(id -u)" -eq 0 ] && echo "user root" )
CONF
  start mosquitto "$mosquitto_bin" -c "$work/mosquitto.conf"
}
launch_sim() {
  # shellcheck disable=SC2086 # DEMO_SIM_ARGS is a word list
  start routeros-sim "$bin/tools/routeros-sim" --routers "$routers" --port "$1" --seed 7 \
    ${DEMO_SIM_ARGS:-}
}
serve mosquitto 1 launch_mosquitto
mqtt_port=$port
serve routeros-sim "$routers" launch_sim
sim_port=$port

# ---- the ACS ----
# The test ACS serves the sessions it is asked for (with the RPCs of a script), prints what the
# CPE sent and exits; each step runs one on the same port. acs_user/acs_pass: HTTP Digest of the
# CPEs; cr_user/cr_pass: the Connection Requests the ACS sends.
acs_user=demo-cpe acs_pass=demo-cpe-pass cr_user=demo-acs cr_pass=demo-acs-pass
# acs NAME ARGS...: starts a run of the test ACS in the background (output in $work/NAME.log)
acs() {
  local name=$1
  shift
  start "$name" "$bin/tools/test-acs/trbridge-test-acs" --port "$acs_port" \
    --digest "$acs_user:$acs_pass" --timeout 60 "$@"
  acs_pid=${pids[-1]}
}
# acs_done NAME WHAT: waits for that run to end; shows what the CPE sent; a failed run ends the demo
acs_done() {
  local rc=0
  wait "$acs_pid" || rc=$?
  grep -E 'CPE -> ACS|events|HostName|USPAgent|^    (status|fault) |Connection Request' "$work/$1.log" |
    grep -v 'empty POST' || true
  [ "$rc" -eq 0 ] || die "$2 (the test ACS ended with status $rc; see $work/$1.log)"
}
# acs_script NAME LINE...: a script of RPCs for the test ACS; prints its path
acs_script() {
  local f=$work/$1.script
  shift
  printf '%s\n' "$@" >"$f"
  echo "$f"
}
launch_acs() {
  acs_port=$1
  # the first session (a BOOTSTRAP) gets the discovery most ACSs run first
  acs acs-bootstrap --sessions "$routers" --script "$(acs_script bootstrap \
    'GetParameterNames Device.ManagementServer. 1' \
    'GetParameterValues Device.DeviceInfo.ModelName Device.DeviceInfo.SoftwareVersion Device.ManagementServer.PeriodicInformInterval' \
    'SetParameterValues Device.ManagementServer.PeriodicInformInterval unsignedInt 600')"
}
serve acs-bootstrap 1 launch_acs

cr_port=$(pick_ports 1)
cr_url=http://127.0.0.1:$cr_port/cr
metrics_port=$(pick_ports 1)
metrics_url=http://127.0.0.1:$metrics_port/metrics

# ---- trbridge ----
{
  cat <<CONF
; generated by scripts/demo.sh
[bridge]
state_dir = $work/state
[acs]
url = http://127.0.0.1:$acs_port/
username = $acs_user
password = $acs_pass
connection_request_port = $cr_port
connection_request_bind = 127.0.0.1
connection_request_host = 127.0.0.1
connection_request_path = /cr
connection_request_username = $cr_user
connection_request_password = $cr_pass
[usp]
controller_endpoint_id = $controller
; the ACS enables the controller router by router (docs/migration.md)
controllers_enabled = false
controller_topic = usp/controller/$controller
[mqtt]
enabled = true
url = mqtt://127.0.0.1:$mqtt_port
[metrics]
listen = 127.0.0.1:$metrics_port
CONF
  for ((i = 0; i < routers; i++)); do
    printf '[router sim%d]\naddress = 127.0.0.1\nport = %d\n' "$i" $((sim_port + i))
  done
} >"$work/trbridge.conf"
"$bin/bridge/trbridge" --config "$work/trbridge.conf" --check-config >/dev/null ||
  die "the generated config is invalid: $work/trbridge.conf"
say "demo: broker on $mqtt_port, $routers simulated routers on $sim_port.., config $work/trbridge.conf"
start trbridge "$bin/bridge/trbridge" --config "$work/trbridge.conf"
trbridge_pid=${pids[-1]}
log=$work/trbridge.log
# bridge_log_has TEXT: trbridge logged TEXT (and a trbridge that exited ends the demo at once)
bridge_log_has() {
  kill -0 "$trbridge_pid" 2>/dev/null || die "trbridge exited; see $log"
  log_has "$log" "$1"
}

# The agent of sim0 logs "router sim0: USP agent EID started" once the router is synced, then
# "EID: MQTT connected, subscribed to TOPIC" once the broker acknowledged its subscription: only
# from then on does a request published to its topic reach it.
wait_until "the USP agent of sim0 (see $log)" 30 bridge_log_has "router sim0: USP agent "
eid=$(sed -n 's/.*router sim0: USP agent \([^ ]*\) started.*/\1/p' "$log" | head -1)
[ -n "$eid" ] || die "the agent of sim0 did not start: $(grep -m1 'router sim0: USP agent' "$log")"
wait_until "the agent $eid subscribed at the broker (see $log)" 30 \
  bridge_log_has "$eid: MQTT connected, subscribed to "

ctl=("$bin/tools/ctl/trbridge-ctl" --mqtt "mqtt://127.0.0.1:$mqtt_port" --agent "$eid"
     --controller-id "$controller")
# usp DESCRIPTION ARGS...: one trbridge-ctl request; its output is shown, a failure ends the demo
usp() {
  local what=$1 out
  shift
  out=$("${ctl[@]}" "$@" 2>&1) || { say "$out"; die "$what"; }
  say "$out"
}

# metrics: the daemon's Prometheus endpoint as curl shows it, the demo's series only (docs/metrics.md)
metrics() {
  curl -sf "$metrics_url" >"$work/metrics.txt" || die "no answer from $metrics_url"
  grep -E '^trbridge_(cwmp_sessions_total|cwmp_informs_total|usp_requests_total|usp_notifications_sent_total|routers_migration|routers_routeros)[{ ]' \
    "$work/metrics.txt" | grep -v ' 0$' || true
}
# metric_sum NAME: the sum of a family's samples
metric_sum() { awk -v n="$1" 'index($0, n " ") == 1 || index($0, n "{") == 1 { s += $NF } END { print s + 0 }' "$work/metrics.txt"; }

# status ROUTER: the router's row of `trbridge-ctl status` (its MIGRATION column last)
status_row() {
  "$bin/tools/ctl/trbridge-ctl" --socket "$work/state/control.sock" status "$1" | grep "^$1 "
}
# migration_is ROUTER STATE: the status shows it
migration_is() { status_row "$1" | grep -q " $2\$"; }

step "CWMP: each router's first session with the ACS (0 BOOTSTRAP)"
acs_done acs-bootstrap "the routers' BOOTSTRAP sessions"
wait_until "sim0 cwmp-only in trbridge-ctl status" 30 migration_is sim0 cwmp-only
status_row sim0

step "Metrics: curl $metrics_url (non-zero series of the demo's families)"
metrics
usp_before=$(metric_sum trbridge_usp_requests_total)
informs_before=$(metric_sum trbridge_cwmp_informs_total)

step "Migration of sim0, 1: the ACS enables the USP controller (SetParameterValues on Device.USPAgent.)"
acs acs-enable --sessions 1 --cr "$cr_url/sim0" --cr-auth "$cr_user:$cr_pass" --script "$(acs_script enable \
  'GetParameterValues Device.USPAgent.EndpointID Device.USPAgent.Controller.1.EndpointID' \
  'SetParameterValues Device.USPAgent.Controller.1.Enable boolean true' \
  'SetParameterAttributes Device.DeviceInfo.HostName 2')"
acs_done acs-enable "the ACS's session with sim0"
grep -qF "status 0" "$work/acs-enable.log" || die "the ACS could not enable the controller"
wait_until "sim0 managed by both protocols" 30 migration_is sim0 both
status_row sim0

step "USP Get of the router's identity ($eid)"
usp "Get of the identity" get Device.DeviceInfo.Manufacturer Device.DeviceInfo.ModelName \
  Device.DeviceInfo.SoftwareVersion Device.DeviceInfo.SerialNumber Device.DeviceInfo.UpTime

step "USP Get with a search: Ethernet interfaces that are up"
usp "Get with a search" get 'Device.Ethernet.Interface.[Status=="Up"].Name'

step "USP Set of a NAT port mapping (a dst-nat rule on the router), then a Get of the object"
usp "Set of the port mapping" set Device.NAT.PortMapping.1.Description="set over USP by the demo"
usp "Get of the port mapping" get Device.NAT.PortMapping.1.
"${ctl[@]}" get Device.NAT.PortMapping.1.Description | grep -qF "set over USP by the demo" ||
  die "the Set did not reach the port mapping"

step "USP subscription: renaming the router (a Set on /system/identity) raises a ValueChange Notify, and the ACS's active notification (4 VALUE CHANGE)"
sub_out=$work/subscribe.out
"${ctl[@]}" subscribe ValueChange Device.DeviceInfo.HostName --for 120 >"$sub_out" 2>&1 &
sub=$!
pids+=("$sub")
wait_until "the subscription's AddResp" 30 log_has "$sub_out" " created"
acs acs-notified --sessions 1
wait_until "the test ACS listening" 30 listens "$acs_port"
usp "Set of the host name" set Device.DeviceInfo.HostName=renamed-by-the-demo
wait_until "the ValueChange Notify" 30 log_has "$sub_out" "ValueChange Device.DeviceInfo.HostName = renamed-by-the-demo"
acs_done acs-notified "the session of sim0's value change"
grep -qF '"4 VALUE CHANGE"' "$work/acs-notified.log" || die "no 4 VALUE CHANGE for the ACS"

step "CWMP SetParameterValues by the ACS: the USP controller gets a ValueChange Notify"
acs acs-set --sessions 1 --cr "$cr_url/sim0" --cr-auth "$cr_user:$cr_pass" --script "$(acs_script set \
  'SetParameterValues Device.DeviceInfo.HostName string renamed-by-the-acs')"
acs_done acs-set "the ACS's SetParameterValues"
wait_until "the ValueChange Notify of the ACS's change" 30 log_has "$sub_out" "ValueChange Device.DeviceInfo.HostName = renamed-by-the-acs"
kill -INT "$sub" # trbridge-ctl deletes its subscription, then exits
wait "$sub" || die "trbridge-ctl subscribe ended with status $?: $(cat "$sub_out")"
cat "$sub_out"
log_has "$sub_out" ". deleted" || die "the subscription was not deleted"

step "Migration of sim0, 2: the controller turns CWMP off (Device.CWMPManagementServer.EnableCWMP)"
usp "Set of EnableCWMP" set Device.CWMPManagementServer.EnableCWMP=false
wait_until "sim0 managed by USP only" 30 migration_is sim0 usp-only
status_row sim0
say "the ACS's Connection Request is refused now:"
acs acs-refused --sessions 0 --cr "$cr_url/sim0" --cr-auth "$cr_user:$cr_pass"
acs_done acs-refused "the refused Connection Request"
grep -qF "HTTP 503" "$work/acs-refused.log" || die "sim0 still accepts Connection Requests"
grep "migration state" "$log" || true

step "Metrics again: the counters moved with the demo's requests"
metrics
usp_after=$(metric_sum trbridge_usp_requests_total)
informs_after=$(metric_sum trbridge_cwmp_informs_total)
say "USP requests answered: $usp_before -> $usp_after; CWMP Informs: $informs_before -> $informs_after"
[ "$usp_after" -gt "$usp_before" ] || die "trbridge_usp_requests_total did not move"
[ "$informs_after" -gt "$informs_before" ] || die "trbridge_cwmp_informs_total did not move"

say ""
say "demo: done (trbridge log: $log)"
