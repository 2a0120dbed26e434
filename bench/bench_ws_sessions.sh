#!/bin/bash
# bench_ws_sessions.sh — one controller holding a WebSocket session to each of N agents of one
# trbridge (the npm `ws` client of tests/node/hold_sessions.js, at <listen_path>/<router name>):
# reports the time to open them all, trbridge's RSS before and with them, and a Get on each.
#
#   bench/bench_ws_sessions.sh N [build dir (default build-rel)]
#   env: KEEP=1 keeps the temp dir
set -euo pipefail

N=${1:?N routers}
BUILD=${2:-build-rel}
TOP=$(cd "$(dirname "$0")/.." && pwd)
TRBRIDGE=$BUILD/bridge/trbridge
SIM=$BUILD/tools/routeros-sim

TAG=bench_ws
# shellcheck source=bench_env.sh
. "$(dirname "$0")/bench_env.sh"
WS_PORT=$(free_port)
start_sim
{
	printf '[bridge]\nstate_dir = %s/state\nlog_level = info\nconnect_rate = 1000\nmax_routers = %s\n' \
		"$dir" "$N"
	printf '[usp]\ncontroller_endpoint_id = self::bench-ctl\n'
	printf '[websocket]\nenabled = true\nlisten_port = %s\n' "$WS_PORT"
	for ((i = 0; i < N; i++)); do
		printf '[router sim%d]\naddress = 127.0.0.1\nport = %d\n' $i $((SIM_PORT + i))
	done
} > "$dir/trbridge.conf"

"$TRBRIDGE" --config "$dir/trbridge.conf" > "$dir/trbridge.log" 2>&1 &
bridge=$!
pids+=($bridge)
t0=$(date +%s)
until [ "$(grep -c ': USP agent .* started' "$dir/trbridge.log" || true)" -ge "$N" ]; do
	if ! kill -0 $bridge 2>/dev/null || [ $(($(date +%s) - t0)) -gt 600 ]; then
		echo "agents not up; see $dir" >&2
		KEEP=1
		exit 1
	fi
	sleep 0.2
done
sleep 2 # let the start-up settle (Boot! events, first refreshes)
rss_before=$(awk '/^VmRSS/ {print $2}' /proc/$bridge/status)

node "$TOP/tests/node/hold_sessions.js" --eid self::bench-ctl \
	--base "ws://127.0.0.1:$WS_PORT/usp/sim" --n "$N" --hold 3 > "$dir/node.out" 2>&1 &
node=$!
pids+=($node)
until grep -q '^ready\|^FAIL' "$dir/node.out"; do sleep 0.1; done
sleep 1
rss_with=$(awk '/^VmRSS/ {print $2}' /proc/$bridge/status)
wait $node || { cat "$dir/node.out" >&2; KEEP=1; exit 1; }

echo "N=$N agents, one controller"
grep -E '^(open|gets|OK)' "$dir/node.out"
echo "trbridge RSS: ${rss_before} KiB before, ${rss_with} KiB with the sessions:" \
	"$(( (rss_with - rss_before) * 1024 / N )) bytes per session"
