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

ulimit -n $((3 * N + 4096)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
dir=$(mktemp -d /tmp/bench_cwmp_storm.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ "${KEEP:-0}" = 1 ] && echo "kept $dir" || rm -rf "$dir"
}
trap cleanup EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# the sim's N ports: the first free range below the ephemeral ports (other tests run meanwhile)
used=$(ss -Htan | awk '{print $4}' | sed 's/.*://' | sort -nu)
SIM_PORT=
for ((base = 10000; base + N <= 32768; base += 100)); do
	if ! awk -v lo=$base -v hi=$((base + N)) '$1 >= lo && $1 < hi {found = 1} END {exit !found}' \
		<<< "$used"; then
		SIM_PORT=$base
		break
	fi
done
[ -n "$SIM_PORT" ] || { echo "no free range of $N ports for the sim" >&2; exit 1; }
ACS_PORT=$((SIM_PORT + N))
until port_free $ACS_PORT; do ACS_PORT=$((ACS_PORT + 1)); done

"$ACS" --port $ACS_PORT --sessions "$N" --timeout 900 --delay-ms "$DELAY" > "$dir/acs.out" \
	2> "$dir/acs.log" &
acs=$!
pids+=($acs)
"$SIM" --routers "$N" --port $SIM_PORT --log-level warn > "$dir/sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 200); do port_free $((SIM_PORT + N - 1)) || break; sleep 0.1; done

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
