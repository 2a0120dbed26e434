#!/bin/bash
# bench_fleet.sh — the whole fleet on loopback: mosquitto, routeros-sim with N routers and trbridge
# in one [mqtt] connection mode; reports start-up time, RSS, CPU time and trbridge-ctl Get times.
#
#   bench/bench_fleet.sh N shared|per-router [build dir (default build-rel)]
#   env: CONNECT_RATE (default 1000 routers/s), GETS (default 5), KEEP=1 keeps the temp dir
set -euo pipefail

N=${1:?N routers}
MODE=${2:?shared or per-router}
BUILD=${3:-build-rel}
RATE=${CONNECT_RATE:-1000}
GETS=${GETS:-5}
TRBRIDGE=$BUILD/bridge/trbridge
SIM=$BUILD/tools/routeros-sim
CTL=$BUILD/tools/ctl/trbridge-ctl

TAG=bench_fleet
# shellcheck source=bench_env.sh
. "$(dirname "$0")/bench_env.sh"
start_broker
start_sim

{
	printf '[bridge]\nstate_dir = %s/state\nlog_level = info\nconnect_rate = %s\nmax_routers = %s\n' \
		"$dir" "$RATE" "$N"
	printf '[usp]\ncontroller_endpoint_id = self::bench-ctl\n'
	printf '[mqtt]\nenabled = true\nurl = mqtt://127.0.0.1:%s\nconnection = %s\n' "$MQTT_PORT" "$MODE"
	for ((i = 0; i < N; i++)); do
		printf '[router sim%d]\naddress = 127.0.0.1\nport = %d\n' $i $((SIM_PORT + i))
	done
} > "$dir/trbridge.conf"

t0=$(date +%s%N)
"$TRBRIDGE" --config "$dir/trbridge.conf" > "$dir/trbridge.log" 2>&1 &
bridge=$!
pids+=($bridge)
while :; do
	agents=$(grep -c ': USP agent .* started' "$dir/trbridge.log" || true)
	up=$(grep -c ': MQTT connected' "$dir/trbridge.log" || true)
	[ "$agents" -ge "$N" ] && [ "$up" -ge "$N" ] && break
	if ! kill -0 $bridge 2>/dev/null || [ $(( ($(date +%s%N) - t0) / 1000000000 )) -gt 900 ]; then
		echo "not up: $agents agents, $up MQTT up; see $dir" >&2
		KEEP=1
		exit 1
	fi
	sleep 0.1
done
t_up=$(( ($(date +%s%N) - t0) / 1000000 ))
sleep 2 # let the start-up settle (Boot! events, first refreshes)

rss_kib=$(awk '/^VmRSS/ {print $2}' /proc/$bridge/status)
hwm_kib=$(awk '/^VmHWM/ {print $2}' /proc/$bridge/status)
threads=$(awk '/^Threads/ {print $2}' /proc/$bridge/status)
ticks=$(awk '{print $14 + $15}' /proc/$bridge/stat)
cpu_ms=$(( ticks * 1000 / $(getconf CLK_TCK) ))
conns=$(grep -c 'New client connected' "$dir/mosquitto.log" || true)

times=()
for ((g = 0; g < GETS; g++)); do
	r=$(( (g * (N - 1)) / (GETS > 1 ? GETS - 1 : 1) ))
	eid=$(grep -o "router sim$r: USP agent [^ ]*" "$dir/trbridge.log" | head -1 | awk '{print $5}')
	s=$(date +%s%N)
	"$CTL" --mqtt mqtt://127.0.0.1:$MQTT_PORT --agent "$eid" --controller-id self::bench-ctl \
		get Device.DeviceInfo.HostName Device.Ethernet.Interface.1.Stats.BytesSent > "$dir/ctl.out" 2>&1 ||
		{ echo "get on sim$r failed:"; cat "$dir/ctl.out"; } >&2
	times+=($(( ($(date +%s%N) - s) / 1000000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')

echo "N=$N mode=$MODE connect_rate=$RATE"
echo "all agents up after: ${t_up} ms"
echo "trbridge RSS: ${rss_kib} KiB (peak ${hwm_kib} KiB), $((rss_kib * 1024 / N)) bytes/router, threads $threads"
echo "trbridge CPU time (user+sys) to here: ${cpu_ms} ms"
echo "broker client connections from trbridge (before the Gets): $conns"
echo "trbridge-ctl get wall times (ms, sorted; process start + MQTT connect + Get): $sorted"
