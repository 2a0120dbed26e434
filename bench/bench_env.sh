# bench_env.sh — sourced by the fleet benchmarks (bench_fleet.sh, bench_pod.sh): the file-descriptor
# limit for N routers, a scratch directory (kept with KEEP=1) and the processes started in it
# (stopped on exit), free loopback ports, a mosquitto and a routeros-sim with N routers on ports
# SIM_PORT.. . Set N, SIM (routeros-sim) and TAG before sourcing; start_broker and start_sim
# leave the broker's port in MQTT_PORT.
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

# mosquitto on a free port (MQTT_PORT), no limit on connections.
start_broker() {
	MQTT_PORT=$((19000 + RANDOM % 900))
	until port_free $MQTT_PORT; do MQTT_PORT=$((MQTT_PORT + 1)); done
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

# routeros-sim with N routers on SIM_PORT.. (below the ephemeral range), up when its last port is.
SIM_PORT=20000
start_sim() {
	local p
	for p in $(ss -Htln | awk '{print $4}' | sed 's/.*://' | sort -n); do
		if [ "$p" -ge $SIM_PORT ] && [ "$p" -lt $((SIM_PORT + N)) ]; then
			echo "port $p in use inside the sim range" >&2
			exit 1
		fi
	done
	"$SIM" --routers "$N" --port $SIM_PORT --log-level warn > "$dir/sim.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 200); do port_free $((SIM_PORT + N - 1)) || break; sleep 0.1; done
}
