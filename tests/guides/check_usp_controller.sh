#!/usr/bin/env bash
# check_usp_controller.sh BUILD_DIR — docs/guide-usp-controller.md as written: its trbridge.conf
# (examples/usp-controller/, the broker, listener and router addresses changed to free loopback
# ports and routeros-sim) and its trbridge-ctl commands: a Get over MQTT, a subscription whose
# ValueChange (of a Set over MQTT) arrives on the controller's topic, a Set and a Get over the
# WebSocket listener, and a controller that is not listed refused.
set -euo pipefail
b=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
GUIDE=check_usp_controller
# shellcheck source=guide_env.sh
. "$(dirname "$0")/guide_env.sh"
mqtt=$(free_port); ws=$(free_port); sim=$(free_port)

printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$mqtt" >"$dir/mosquitto.conf"
[ "$(id -u)" -eq 0 ] && echo "user root" >>"$dir/mosquitto.conf"
/usr/sbin/mosquitto -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 & pids+=($!)
"$b/tools/routeros-sim" --routers 1 --port "$sim" --user trbridge --password router-secret \
  >"$dir/sim.log" 2>&1 & pids+=($!)
sed -e "s|url = mqtt://127.0.0.1:1883|url = mqtt://127.0.0.1:$mqtt|" \
    -e "s|listen_port = 8080|listen_port = $ws|" \
    -e "s|state_dir = .*|state_dir = $dir/state|" \
    -e "s|address = 192.0.2.10|address = 127.0.0.1\nport = $sim|" \
  "$top/examples/usp-controller/trbridge.conf" >"$dir/trbridge.conf"
"$b/bridge/trbridge" --config "$dir/trbridge.conf" >"$dir/trbridge.log" 2>&1 & pids+=($!)
for _ in $(seq 200); do grep -q ': MQTT connected' "$dir/trbridge.log" && break; sleep 0.1; done
grep -q ': MQTT connected' "$dir/trbridge.log" || fail "the agent did not come up"
# the guide: the Endpoint ID from the log
eid=$(sed -n 's/.*router office-gw: USP agent \([^ ]*\) started.*/\1/p' "$dir/trbridge.log" | head -1)
ctl="$b/tools/ctl/trbridge-ctl"

# over MQTT
"$ctl" --mqtt "mqtt://127.0.0.1:$mqtt" --agent "$eid" --controller-id self::controller-1 \
  get Device.DeviceInfo.SoftwareVersion | tee "$dir/get.out"
grep -q '^Device.DeviceInfo.SoftwareVersion = ' "$dir/get.out" || fail "Get over MQTT"

# a subscription: notifications go to the controller's configured topic
"$ctl" --mqtt "mqtt://127.0.0.1:$mqtt" --agent "$eid" --controller-id self::controller-1 \
  --reply-topic usp/controller/self::controller-1 \
  subscribe ValueChange Device.DeviceInfo.HostName --for 20 >"$dir/sub.out" 2>&1 &
sub=$!
for _ in $(seq 100); do
  "$ctl" --mqtt "mqtt://127.0.0.1:$mqtt" --agent "$eid" --controller-id self::controller-1 \
    get 'Device.LocalAgent.Subscription.*.ReferenceList' 2>/dev/null | grep -q HostName && break
  sleep 0.1
done

# a change: its ValueChange goes to the controller's topic (no WebSocket session of it is open)
"$ctl" --mqtt "mqtt://127.0.0.1:$mqtt" --agent "$eid" --controller-id self::controller-1 \
  set Device.DeviceInfo.HostName=branch-17 | tee "$dir/set.out"
for _ in $(seq 100); do grep -q 'branch-17' "$dir/sub.out" && break; sleep 0.1; done
kill -INT "$sub" 2>/dev/null || true
wait "$sub" || true
grep -q 'branch-17' "$dir/sub.out" || { cat "$dir/sub.out" >&2; fail "no ValueChange on the controller's topic"; }
echo "ValueChange received: $(grep -m1 branch-17 "$dir/sub.out")"

# over WebSocket: the agent's own resource on the listener
"$ctl" --ws "ws://127.0.0.1:$ws/usp/office-gw" --agent "$eid" --controller-id self::controller-1 \
  set Device.DeviceInfo.HostName=branch-18 | tee "$dir/wsset.out"
"$ctl" --ws "ws://127.0.0.1:$ws/usp/office-gw" --agent "$eid" --controller-id self::controller-1 \
  get Device.DeviceInfo.HostName | tee "$dir/wsget.out"
grep -q 'Device.DeviceInfo.HostName = branch-18' "$dir/wsget.out" || fail "Set/Get over WebSocket"

# a controller that is not in controller_endpoint_id gets nothing
status=0
"$ctl" --mqtt "mqtt://127.0.0.1:$mqtt" --agent "$eid" --controller-id self::stranger \
  --timeout 2 get Device.DeviceInfo.SoftwareVersion >"$dir/stranger.out" 2>&1 || status=$?
[ "$status" -eq 3 ] || fail "an unknown controller: exit status $status, not 3 (time-out)"
grep -q 'record from unknown controller self::stranger dropped' "$dir/trbridge.log" ||
  fail "no log line for the unknown controller"
echo "check_usp_controller: the guide's configuration and commands work as written"
