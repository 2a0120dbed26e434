#!/bin/bash
# bench_callgrind.sh — instructions trbridge executes per USP Get, counted by callgrind (independent
# of the machine's load): mosquitto, routeros-sim with N routers, trbridge under callgrind with
# collection off until every agent serves, then bench_load sends Gets for S seconds.
#
#   bench/bench_callgrind.sh [PATH (Device.DeviceInfo.)] [INFLIGHT (1)] [N (1)] [MODE (per-router)] [BUILD (build-rel)]
#   env: SECONDS_PER (default 10), KEEP=1 keeps the temp dir (callgrind.out for callgrind_annotate)
#
# Prints the Gets answered (bench_load's count), the instructions of the whole process in the
# window (Ir) and Ir per Get, then the functions with the most inclusive and self instructions.
set -euo pipefail

GET_PATH=${1:-Device.DeviceInfo.}
INFLIGHT=${2:-1}
N=${3:-1}
MODE=${4:-per-router}
BUILD=${5:-build-rel}
SECS=${SECONDS_PER:-10}
TRBRIDGE=$BUILD/bridge/trbridge
SIM=$BUILD/tools/routeros-sim
LOAD=$BUILD/bench/bench_load
for b in "$TRBRIDGE" "$SIM" "$LOAD"; do [ -x "$b" ] || { echo "missing $b" >&2; exit 1; }; done

TAG=bench_callgrind
# shellcheck source=bench_env.sh
. "$(dirname "$0")/bench_env.sh"
start_broker
start_sim

{
	printf '[bridge]\nstate_dir = %s/state\nlog_level = info\nmax_routers = %s\n' "$dir" "$N"
	printf '[usp]\ncontroller_endpoint_id = self::bench-ctl\n'
	printf '[mqtt]\nenabled = true\nurl = mqtt://127.0.0.1:%s\nconnection = %s\n' "$MQTT_PORT" "$MODE"
	for ((i = 0; i < N; i++)); do
		printf '[router sim%d]\naddress = 127.0.0.1\nport = %d\nendpoint_id = proto::bench-%d\n' \
			$i $((SIM_PORT + i)) $i
	done
} > "$dir/trbridge.conf"

valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$dir/callgrind.out" \
	"$TRBRIDGE" --config "$dir/trbridge.conf" > "$dir/trbridge.log" 2>&1 &
bridge=$!
pids+=($bridge)
count() { local n; n=$(grep -c "$1" "$dir/trbridge.log" 2>/dev/null) || true; echo "${n:-0}"; }
t0=$SECONDS
while [ "$(count ': MQTT connected')" -lt "$N" ] || [ "$(count ': synced (RouterOS')" -lt "$N" ]; do
	kill -0 $bridge 2>/dev/null && [ $((SECONDS - t0)) -lt 600 ] || { echo "not up; see $dir" >&2; KEEP=1; exit 1; }
	sleep 0.2
done
sleep 3 # Boot! events and first refreshes settle
callgrind_control -i on $bridge > /dev/null
"$LOAD" gen --port "$MQTT_PORT" --agents "$N" --inflight "$INFLIGHT" --path "$GET_PATH" \
	--seconds "$SECS" --warmup 0 | tee "$dir/gen.out"
callgrind_control -i off $bridge > /dev/null
kill -TERM $bridge
wait $bridge 2>/dev/null || true

out=$dir/callgrind.out
[ -f "$out" ] || out=$(ls "$dir"/callgrind.out* | head -1)
ir=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$dir/trbridge.log")
gets=$(sed -n 's/.*answered=\([0-9]*\).*/\1/p' "$dir/gen.out")
echo "path=$GET_PATH inflight=$INFLIGHT routers=$N mode=$MODE"
echo "Ir in window: $ir"
echo "Gets answered in the window: ${gets:-?} (at most $INFLIGHT more were in flight)"
[ -n "${gets:-}" ] && [ "$gets" -gt 0 ] && echo "Ir per Get: $((ir / gets))"
echo "--- inclusive"
callgrind_annotate --inclusive=yes "$out" 2>/dev/null | sed -n '/^Ir/,$p' | sed -n 1,45p
echo "--- self"
callgrind_annotate "$out" 2>/dev/null | sed -n '/^Ir/,$p' | sed -n 1,45p
