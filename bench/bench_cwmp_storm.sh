#!/bin/bash
# bench_cwmp_storm.sh — a fleet's first boot against one ACS: routeros-sim with N routers, trbridge
# with N [router] sections and [acs] max_sessions = CAP, and bench_acs (every Inform answered, every
# session ended by 204). Every router BOOTSTRAPs at once; the cap lets CAP sessions run together
# and queues the rest. Reports sessions completed and failed (on both sides), distinct devices,
# the peak of sessions under way at the ACS, the time from the first Inform to the last session's
# end, and trbridge's RSS and CPU time.
#
#   bench/bench_cwmp_storm.sh N CAP [build dir (default build-rel)]
#   env: ACS_DELAY_MS (default 20: the ACS's think time per answer), CONNECT_RATE (default 1000),
#        KEEP=1 keeps the temp dir
set -euo pipefail

N=${1:?N routers}
CAP=${2:?session cap}
BUILD=${3:-build-rel}
DELAY=${ACS_DELAY_MS:-20}
RATE=${CONNECT_RATE:-1000}
TRBRIDGE=$BUILD/bridge/trbridge
SIM=$BUILD/tools/routeros-sim
ACS=$BUILD/bench/bench_acs

TAG=bench_cwmp_storm
# shellcheck source=bench_env.sh
. "$(dirname "$0")/bench_env.sh"
start_sim
ACS_PORT=$(free_port)

"$ACS" --port $ACS_PORT --sessions "$N" --timeout 900 --delay-ms "$DELAY" > "$dir/acs.out" \
	2> "$dir/acs.log" &
acs=$!
pids+=($acs)

{
	printf '[bridge]\nstate_dir = %s/state\nlog_level = info\nconnect_rate = %s\nmax_routers = %s\n' \
		"$dir" "$RATE" "$N"
	printf '[acs]\nurl = http://127.0.0.1:%s/acs\nconnection_request_port = 0\nmax_sessions = %s\n' \
		"$ACS_PORT" "$CAP"
	for ((i = 0; i < N; i++)); do
		printf '[router r%d]\naddress = 127.0.0.1\nport = %d\n' "$i" $((SIM_PORT + i))
	done
} > "$dir/trbridge.conf"

start=$(date +%s.%N)
"$TRBRIDGE" --config "$dir/trbridge.conf" > "$dir/trbridge.log" 2>&1 &
bridge=$!
pids+=($bridge)
wait $acs || true
end=$(date +%s.%N)
rss=$(awk '/VmRSS/ {print $2}' /proc/$bridge/status)
read -r ut st < <(awk '{print $14, $15}' /proc/$bridge/stat)
tck=$(getconf CLK_TCK)
echo "routers=$N cap=$CAP acs_delay_ms=$DELAY $(cat "$dir/acs.out")"
printf 'trbridge: start_to_all_done_s=%.1f rss_kib=%s cpu_s=%.2f failed_sessions_logged=%s\n' \
	"$(echo "$end - $start" | bc)" "$rss" "$(echo "($ut + $st) / $tck" | bc -l)" \
	"$(grep -c 'CWMP session failed' "$dir/trbridge.log" || true)"
