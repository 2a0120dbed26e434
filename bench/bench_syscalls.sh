#!/bin/bash
# bench_syscalls.sh — system calls trbridge makes per USP Get: mosquitto, routeros-sim with one
# router and trbridge; `strace -c -f` attached to trbridge while bench_load sends small Gets for
# 3 s with 1, then 16 requests in flight. Prints bench_load's line and strace's table per case.
#
#   bench/bench_syscalls.sh [BUILD (build-rel)]
set -euo pipefail

BUILD=${1:-build-rel}
N=1
TAG=bench_syscalls
SIM=$BUILD/tools/routeros-sim
# shellcheck source=bench_env.sh
. "$(dirname "$0")/bench_env.sh"
start_broker
start_sim
printf '[bridge]\nstate_dir = %s/state\nlog_level = info\n[usp]\ncontroller_endpoint_id = self::bench-ctl\n[mqtt]\nenabled = true\nurl = mqtt://127.0.0.1:%s\n[router sim0]\naddress = 127.0.0.1\nport = %d\nendpoint_id = proto::bench-0\n' \
	"$dir" "$MQTT_PORT" "$SIM_PORT" > "$dir/trbridge.conf"
"$BUILD/bridge/trbridge" --config "$dir/trbridge.conf" > "$dir/trbridge.log" 2>&1 &
bridge=$!
pids+=($bridge)
for _ in $(seq 300); do
	grep -q ': synced (RouterOS' "$dir/trbridge.log" && grep -q ': MQTT connected' "$dir/trbridge.log" && break
	sleep 0.1
done
sleep 2
for k in 1 16; do
	strace -c -f -p $bridge -o "$dir/strace-$k.txt" 2> /dev/null &
	tracer=$!
	sleep 0.5
	"$BUILD/bench/bench_load" gen --port "$MQTT_PORT" --agents 1 --inflight $k \
		--path Device.DeviceInfo. --seconds 3 --warmup 0
	kill -INT $tracer
	wait $tracer || true
	echo "== $k in flight"
	sed -n '1,12p' "$dir/strace-$k.txt"
done
