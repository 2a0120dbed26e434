# bench_env.sh — sourced by the fleet benchmarks (bench_fleet.sh, bench_pod.sh, bench_ws_sessions.sh,
# bench_cwmp_storm.sh): the file-descriptor limit for N routers, a scratch directory (kept with
# KEEP=1) and the processes started in it (stopped on exit), free loopback ports, a mosquitto and a
# routeros-sim with N routers on ports SIM_PORT.. (env; by default the first free range below the
# ephemeral ports). Set N, SIM (routeros-sim) and TAG before sourcing; start_broker leaves the
# broker's port in MQTT_PORT, start_sim the simulator's first port in SIM_PORT.
ulimit -n $((3 * N + 4096)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
dir=$(mktemp -d "/tmp/$TAG.XXXXXX")
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ "${KEEP:-0}" = 1 ] && echo "kept $dir" || rm -rf "$dir"
}
trap cleanup EXIT

# A port with nothing listening.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Prints a free port from 19000 up.
free_port() {
	local p=$((19000 + RANDOM % 900))
	until port_free $p; do p=$((p + 1)); done
	echo $p
}

# mosquitto on a free port (MQTT_PORT), no limit on connections.
start_broker() {
	MQTT_PORT=$(free_port)
	cat > "$dir/mosquitto.conf" <<CONF
per_listener_settings false
allow_anonymous true
persistence false
max_connections -1
listener $MQTT_PORT 127.0.0.1
CONF
	[ "$(id -u)" = 0 ] && echo "user root" >> "$dir/mosquitto.conf"
	/usr/sbin/mosquitto -c "$dir/mosquitto.conf" > "$dir/mosquitto.log" 2>&1 &
	pids+=($!)
}

# routeros-sim with N routers on SIM_PORT.., up when its last port is. Without SIM_PORT: the first
# range of N ports below the ephemeral ones that no socket uses (other programs run meanwhile).
start_sim() {
	local used base
	used=$(ss -Htan | awk '{print $4}' | sed 's/.*://' | sort -nu)
	in_use() { awk -v lo="$1" -v hi="$2" '$1 >= lo && $1 < hi {found = 1} END {exit !found}' <<< "$used"; }
	if [ -n "${SIM_PORT:-}" ]; then
		! in_use "$SIM_PORT" $((SIM_PORT + N)) || { echo "a port in $SIM_PORT.. is in use" >&2; exit 1; }
	else
		for ((base = 10000; base + N <= 32768; base += 100)); do
			in_use $base $((base + N)) || { SIM_PORT=$base; break; }
		done
		[ -n "${SIM_PORT:-}" ] || { echo "no free range of $N ports for the sim" >&2; exit 1; }
	fi
	"$SIM" --routers "$N" --port "$SIM_PORT" --log-level warn > "$dir/sim.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 200); do port_free $((SIM_PORT + N - 1)) || break; sleep 0.1; done
}
