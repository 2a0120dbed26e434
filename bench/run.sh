#!/bin/bash
# run.sh — the MQTT fleet benchmark (issue 9), in one run: a mosquitto in its stock configuration,
# routeros-sim and trbridge for each fleet size, in both [mqtt] connection modes, driven by the C
# load generator bench_load (never a script client); the "echo" agent (bench_load echo: answers each
# Record with itself) measured the same way in the same run. Writes bench/RESULTS.md and
# bench/results.png (gnuplot). Run by hand, never by the tests:
#
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release
#   cmake --build build-rel -j2 --target trbridge routeros-sim bench_load
#   bench/run.sh [build-rel]
#
#   env: SIZES (default "1 1000 9990"), MODES ("per-router shared"), SECONDS_PER (4, per cell),
#        CONNECT_RATE (1000 routers/s at start-up), KEEP=1 keeps the temp dir
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$top/build-rel}
SIZES=${SIZES:-1 1000 9990}
MODES=${MODES:-per-router shared}
SECS=${SECONDS_PER:-4}
RATE=${CONNECT_RATE:-1000}
TRBRIDGE=$BUILD/bridge/trbridge
SIM=$BUILD/tools/routeros-sim
LOAD=$BUILD/bench/bench_load
SMALL=Device.DeviceInfo.
for b in "$TRBRIDGE" "$SIM" "$LOAD"; do [ -x "$b" ] || { echo "missing $b (see the top of $0)" >&2; exit 1; }; done
command -v gnuplot > /dev/null || { echo "gnuplot missing (apt-get install gnuplot-nox)" >&2; exit 1; }

ulimit -n "$(ulimit -Hn)"
dir=$(mktemp -d /tmp/bench_run.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ "${KEEP:-0}" = 1 ] && echo "kept $dir" >&2 || rm -rf "$dir"
}
trap cleanup EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
MQTT_PORT=$((19000 + RANDOM % 900))
until port_free $MQTT_PORT; do MQTT_PORT=$((MQTT_PORT + 1)); done
SIM_PORT=20000

# mosquitto with its stock settings (only a listener, anonymous clients, no persistence file)
{
	printf 'listener %s 127.0.0.1\nallow_anonymous true\n' $MQTT_PORT
	[ "$(id -u)" = 0 ] && echo "user root"
} > "$dir/mosquitto.conf"
/usr/sbin/mosquitto -c "$dir/mosquitto.conf" > "$dir/mosquitto.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do port_free $MQTT_PORT || break; sleep 0.1; done

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# gen N INFLIGHT PATH PID → "rate p50 p99 cpu"
gen() {
	local line
	line=$("$LOAD" gen --port $MQTT_PORT --agents "$1" --inflight "$2" --path "$3" --pid "$4" \
		--seconds "$SECS" --warmup 1)
	echo "$line" >> "$dir/gen.log"
	echo "$line" | sed 's/[a-z0-9_]*=//g' | awk '{print $1, $2, $3, $4}'
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
results="$dir/results.tsv" # n mode what inflight rate p50 p99 cpu
: > "$results"
memory="$dir/memory.tsv" # n mode startup_ms rss_rest rss_after
: > "$memory"

for N in $SIZES; do
	echo "== $N routers" >&2
	"$SIM" --routers "$N" --port $SIM_PORT --log-level warn > "$dir/sim-$N.log" 2>&1 &
	sim=$!
	pids+=($sim)
	for _ in $(seq 300); do port_free $((SIM_PORT + N - 1)) || break; sleep 0.1; done
	# one port of the range taken by something else makes the simulator give up
	kill -0 $sim 2>/dev/null || { echo "routeros-sim failed: $(tail -1 "$dir/sim-$N.log")" >&2; exit 1; }

	for MODE in $MODES; do
		conf="$dir/trbridge-$N-$MODE.conf"
		log="$dir/trbridge-$N-$MODE.log"
		{
			printf '[bridge]\nstate_dir = %s/state-%s-%s\nlog_level = info\nconnect_rate = %s\n' \
				"$dir" "$N" "$MODE" "$RATE"
			printf 'max_routers = %s\n' "$N"
			printf '[usp]\ncontroller_endpoint_id = self::bench-ctl\n'
			printf '[mqtt]\nenabled = true\nurl = mqtt://127.0.0.1:%s\nconnection = %s\n' $MQTT_PORT "$MODE"
			for ((i = 0; i < N; i++)); do
				printf '[router sim%d]\naddress = 127.0.0.1\nport = %d\nendpoint_id = proto::bench-%d\n' \
					$i $((SIM_PORT + i)) $i
			done
		} > "$conf"
		t0=$(date +%s%N)
		"$TRBRIDGE" --config "$conf" > "$log" 2>&1 &
		bridge=$!
		pids+=($bridge)
		# serving: every router synced and every agent's MQTT connection up
		count() { local n; n=$(grep -c "$1" "$log" 2>/dev/null) || true; echo "${n:-0}"; }
		while [ "$(count ': MQTT connected')" -lt "$N" ] || [ "$(count ': synced (RouterOS')" -lt "$N" ]; do
			if ! kill -0 $bridge 2>/dev/null || [ $(( ($(date +%s%N) - t0) / 1000000000 )) -gt 900 ]; then
				echo "$N $MODE: not all agents up; see $dir" >&2
				KEEP=1
				exit 1
			fi
			sleep 0.05
		done
		up_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
		sleep 2 # Boot! events and first refreshes settle
		rest=$(rss_kib $bridge)
		echo "   $MODE: all agents serving after $up_ms ms, RSS $rest KiB" >&2
		for what in small device; do
			path=$SMALL
			[ $what = device ] && path=Device.
			for k in 1 16; do
				read -r rate p50 p99 cpu < <(gen "$N" $k "$path" $bridge)
				printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$N" "$MODE" $what $k "$rate" "$p50" "$p99" "$cpu" >> "$results"
				echo "   $MODE $what $k in flight: $rate/s p50 $p50 us p99 $p99 us, $cpu us CPU each" >&2
			done
		done
		after=$(rss_kib $bridge)
		printf '%s\t%s\t%s\t%s\t%s\n' "$N" "$MODE" $up_ms "$rest" "$after" >> "$memory"
		stop_pid $bridge
	done

	"$LOAD" echo --port $MQTT_PORT > "$dir/echo.log" 2>&1 &
	echo_pid=$!
	pids+=($echo_pid)
	sleep 0.5
	for k in 1 16; do
		read -r rate p50 p99 cpu < <(gen "$N" $k "$SMALL" $echo_pid)
		printf '%s\techo\tsmall\t%s\t%s\t%s\t%s\t%s\n' "$N" $k "$rate" "$p50" "$p99" "$cpu" >> "$results"
		echo "   echo $k in flight: $rate/s p50 $p50 us p99 $p99 us" >&2
	done
	stop_pid $echo_pid
	stop_pid $sim
done

# ---- bench/RESULTS.md ----
val() { awk -F'\t' -v n="$1" -v m="$2" -v w="$3" -v k="$4" -v c="$5" \
	'$1 == n && $2 == m && $3 == w && $4 == k {print $c}' "$results"; }
{
	echo "# MQTT fleet benchmark"
	echo
	echo "Written by \`bench/run.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -r), build $(basename "$BUILD"),"
	echo "$(/usr/sbin/mosquitto -h 2>&1 | head -1 | sed 's/ (build.*//'), stock configuration). Each cell: ${SECS} s after 1 s of warm-up;"
	echo "requests go round robin over the agents; \"share\" is the rate over the echo agent's at the same"
	echo "fleet size and in-flight count; CPU is trbridge's (user + system) per answer. Small Get ="
	echo "\`$SMALL\`; the echo agent answers every Record with itself (the limit of broker and client)."
	echo "Load average of the machine (shared with other work): $load_start at the start,"
	echo "$(cut -d' ' -f1-3 /proc/loadavg) at the end."
	echo
	echo "| routers | mode | Get | in flight | answers/s | share of echo | p50 µs | p99 µs | CPU µs per Get |"
	echo "|--:|:--|:--|--:|--:|--:|--:|--:|--:|"
	for N in $SIZES; do
		for k in 1 16; do
			echo "| $N | echo | – | $k | $(val "$N" echo small $k 5) | 100 % | $(val "$N" echo small $k 6) | $(val "$N" echo small $k 7) | – |"
		done
		for MODE in $MODES; do
			for what in small device; do
				for k in 1 16; do
					r=$(val "$N" "$MODE" $what $k 5)
					e=$(val "$N" echo small $k 5)
					share=$(awk -v r="$r" -v e="$e" 'BEGIN { if (e > 0) printf "%.0f %%", 100 * r / e; else print "–" }')
					[ $what = device ] && share="–"
					label=$SMALL
					[ $what = device ] && label=Device.
					echo "| $N | $MODE | \`$label\` | $k | $r | $share | $(val "$N" "$MODE" $what $k 6) | $(val "$N" "$MODE" $what $k 7) | $(val "$N" "$MODE" $what $k 8) |"
				done
			done
		done
	done
	echo
	echo "| routers | mode | all agents serving after | RSS at rest | per router | RSS after the load | per router |"
	echo "|--:|:--|--:|--:|--:|--:|--:|"
	awk -F'\t' '{printf "| %s | %s | %.1f s | %d KiB | %.1f KiB | %d KiB | %.1f KiB |\n", $1, $2, $3 / 1000, $4, $4 / $1, $5, $5 / $1}' "$memory"
	echo
	echo "Start-up: from spawning trbridge until every router is synced and every agent's MQTT connection is up"
	echo "(the last \"synced\" and \"MQTT connected\" log lines), with"
	echo "\`connect_rate = $RATE\`. RSS per router is the process's RSS over the fleet size (at 1 router it"
	echo "is the whole process)."
	echo
	echo "![answers per second and memory against fleet size](results.png)"
} > "$top/bench/RESULTS.md.new"

# ---- bench/results.png ----
awk -F'\t' '$3 == "small" || $2 == "echo" {print $1, $2 "-" $4, $5}' "$results" > "$dir/rate.dat"
gnuplot <<PLOT
set terminal pngcairo size 1100,450 noenhanced
set output "$top/bench/results.png"
set multiplot layout 1,2
set logscale x
set xlabel "routers"
set ylabel "small Gets answered per second"
set key left bottom
set title "Rate (small Get)"
plot for [s in "echo-1 echo-16 per-router-1 per-router-16 shared-1 shared-16"] \
	"< grep ' ".s." ' $dir/rate.dat" using 1:3 with linespoints title s
set ylabel "KiB per router"
set title "trbridge RSS per router"
set logscale y
plot "< grep per-router $memory" using 1:(\$4/\$1) with linespoints title "per-router, at rest", \
     "< grep per-router $memory" using 1:(\$5/\$1) with linespoints title "per-router, after load", \
     "< grep shared $memory" using 1:(\$4/\$1) with linespoints title "shared, at rest", \
     "< grep shared $memory" using 1:(\$5/\$1) with linespoints title "shared, after load"
unset multiplot
PLOT
mv "$top/bench/RESULTS.md.new" "$top/bench/RESULTS.md"
echo "wrote bench/RESULTS.md and bench/results.png" >&2
