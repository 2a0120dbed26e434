#!/usr/bin/env bash
# check_mosquitto.sh BUILD_DIR — docs/guide-mosquitto.md as written, against a real mosquitto: its
# broker config and ACL (examples/mosquitto/, only the port and file paths changed), its password
# commands, its trbridge.conf (the broker and router addresses changed to loopback ports and
# routeros-sim). A controller's Get works through the ACL; a session with another client id cannot
# read an agent's requests nor write to another agent's topic (the agent's metrics show nothing
# arrived), and a controller cannot read agent topics; the same publish from the controller does
# arrive, so the refusals are the ACL's.
set -euo pipefail
b=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
ex=$top/examples/mosquitto
GUIDE=check_mosquitto
# shellcheck source=guide_env.sh
. "$(dirname "$0")/guide_env.sh"
mqtt=$(free_port); metrics=$(free_port); sim=$(free_port)
(exec 3<>"/dev/tcp/127.0.0.1/$((sim + 1))") 2>/dev/null && sim=$(free_port)

# the guide's password commands
mosquitto_passwd -c -b "$dir/trbridge.passwd" trbridge agent-secret
mosquitto_passwd -b "$dir/trbridge.passwd" controller controller-secret
sed -e "s|^listener 1883|listener $mqtt 127.0.0.1|" -e "s|/etc/mosquitto/|$dir/|" \
  "$ex/mosquitto.conf" >"$dir/mosquitto.conf"
cp "$ex/trbridge.acl" "$dir/trbridge.acl"
[ "$(id -u)" -eq 0 ] && echo "user root" >>"$dir/mosquitto.conf"
/usr/sbin/mosquitto -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 & pids+=($!)
"$b/tools/routeros-sim" --routers 2 --port "$sim" --user trbridge --password router-secret \
  >"$dir/sim.log" 2>&1 & pids+=($!)
sed -e "s|url = mqtt://127.0.0.1:1883|url = mqtt://127.0.0.1:$mqtt|" \
    -e "s|state_dir = .*|state_dir = $dir/state|" \
    -e "s|address = 192.0.2.10|address = 127.0.0.1\nport = $sim|" \
    -e "s|address = 192.0.2.17|address = 127.0.0.1\nport = $((sim + 1))|" \
  "$ex/trbridge.conf" >"$dir/trbridge.conf"
printf '[metrics]\nlisten = 127.0.0.1:%s\n' "$metrics" >>"$dir/trbridge.conf"
"$b/bridge/trbridge" --config "$dir/trbridge.conf" >"$dir/trbridge.log" 2>&1 & pids+=($!)
for _ in $(seq 200); do
  [ "$(grep -c ': MQTT connected' "$dir/trbridge.log" || true)" -ge 2 ] && break
  sleep 0.1
done
[ "$(grep -c ': MQTT connected' "$dir/trbridge.log" || true)" -ge 2 ] || fail "the agents did not connect"
eid=$(sed -n 's/.*router office-gw: USP agent \([^ ]*\) started.*/\1/p' "$dir/trbridge.log" | head -1)
printf 'controller-secret\n' >"$dir/controller.pw"
ctl() {
  "$b/tools/ctl/trbridge-ctl" --mqtt "mqtt://127.0.0.1:$mqtt" --agent "$eid" \
    --controller-id self::controller-1 --agent-topic usp/agent/trbridge-office-gw \
    --reply-topic usp/controller/self::controller-1 --username controller \
    --password-file "$dir/controller.pw" "$@"
}
received() {
  curl -s "http://127.0.0.1:$metrics/metrics" |
    awk '$1 == "trbridge_usp_records_received_total{mtp=\"mqtt\"}" { print $2 }'
}
sub() { # client id, user, password, topic, output file: waits 4 s for one message
  mosquitto_sub -h 127.0.0.1 -p "$mqtt" -V 5 -i "$1" -u "$2" -P "$3" -t "$4" -C 1 -W 4 \
    -F '%t %p' >"$5" 2>&1 &
}

# 1. a controller's Get goes through: the agent reads its topic and writes the answer
ctl get Device.DeviceInfo.HostName >"$dir/get.out" || fail "Get through the ACL: $(cat "$dir/get.out")"
echo "controller Get through the ACL: $(cat "$dir/get.out")"

# 2. another session of the bridge's user, and a controller, listen on office-gw's agent topic
sub trbridge-intruder trbridge agent-secret usp/agent/trbridge-office-gw "$dir/intruder.out"
intruder=$!
sub snooper controller controller-secret 'usp/agent/#' "$dir/snooper.out"
snooper=$!
sleep 1
ctl get Device.DeviceInfo.HostName >/dev/null || fail "Get with listeners around"
wait "$intruder" || true
wait "$snooper" || true
grep -q 'usp/agent' "$dir/intruder.out" && fail "another client id read office-gw's requests"
grep -q 'usp/agent' "$dir/snooper.out" && fail "a controller read an agent topic"
echo "office-gw's requests reached only office-gw (other client id: nothing; controller on usp/agent/#: nothing)"

# 3. the bridge's user cannot write to an agent topic; the controller can (the same bytes)
before=$(received)
mosquitto_pub -h 127.0.0.1 -p "$mqtt" -V 5 -i trbridge-intruder -u trbridge -P agent-secret \
  -t usp/agent/trbridge-branch-17 -m not-a-record -q 1
sleep 1
[ "$(received)" = "$before" ] || fail "a write by the bridge's user reached branch-17"
mosquitto_pub -h 127.0.0.1 -p "$mqtt" -V 5 -i ctl-test -u controller -P controller-secret \
  -t usp/agent/trbridge-branch-17 -m not-a-record -q 1
for _ in $(seq 50); do [ "$(received)" != "$before" ] && break; sleep 0.1; done
[ "$(received)" != "$before" ] || fail "the controller's write did not reach branch-17"
echo "agent topics: the bridge's user cannot write to one (received $before -> $before), a controller can (-> $(received))"
echo "check_mosquitto: the guide's broker, ACL and trbridge.conf work as written"
