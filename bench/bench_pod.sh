#!/bin/bash
# bench_pod.sh — what one trbridge instance (one pod) sustains with N routers: mosquitto,
# routeros-sim with N routers and trbridge with the metrics endpoint; after start-up it measures
# trbridge's idle CPU, then P trbridge-ctl loops sending small Gets to routers spread over the
# fleet for D seconds, and reads from trbridge's own /metrics: requests answered, CPU per request
# (idle CPU subtracted), the server-side latency histogram (arrival to answer sent), routers up.
#
#   bench/bench_pod.sh N shared|per-router [build dir (default build-rel)]
#   env: CONNECT_RATE (1000), P (8 parallel ctl loops), D (60 s), KEEP=1 keeps the temp dir
set -euo pipefail

N=${1:?N routers}
MODE=${2:?shared or per-router}
BUILD=${3:-build-rel}
RATE=${CONNECT_RATE:-1000}
P=${P:-8}
D=${D:-60}
TRBRIDGE=$BUILD/bridge/trbridge
SIM=$BUILD/tools/routeros-sim
CTL=$BUILD/tools/ctl/trbridge-ctl

TAG=bench_pod
# shellcheck source=bench_env.sh
. "$(dirname "$0")/bench_env.sh"
start_broker
start_sim
METRICS_PORT=$((MQTT_PORT + 1))
until port_free $METRICS_PORT; do METRICS_PORT=$((METRICS_PORT + 1)); done

{
	printf '[bridge]\nstate_dir = %s/state\nconnect_rate = %s\nmax_routers = %s\n' "$dir" "$RATE" "$N"
	printf '[usp]\ncontroller_endpoint_id = self::bench-ctl\n'
	printf '[mqtt]\nenabled = true\nurl = mqtt://127.0.0.1:%s\nconnection = %s\n' "$MQTT_PORT" "$MODE"
	printf '[metrics]\nlisten = 127.0.0.1:%s\n' "$METRICS_PORT"
	for ((i = 0; i < N; i++)); do
		printf '[router sim%d]\naddress = 127.0.0.1\nport = %d\n' $i $((SIM_PORT + i))
	done
} > "$dir/trbridge.conf"

scrape() { curl -s "http://127.0.0.1:$METRICS_PORT/metrics" > "$1"; }
# the value of a sample line (exact name and labels), 0 when absent
value() { awk -v k="$2" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }' "$1"; }

t0=$(date +%s%N)
"$TRBRIDGE" --config "$dir/trbridge.conf" > "$dir/trbridge.log" 2>&1 &
bridge=$!
pids+=($bridge)
until scrape "$dir/m0" 2>/dev/null && [ "$(value "$dir/m0" 'trbridge_routers_migration{state="usp-only"}')" -ge "$N" ] &&
	[ "$(value "$dir/m0" 'trbridge_mqtt_connections{state="up"}')" -ge "$([ "$MODE" = shared ] && echo 1 || echo "$N")" ]; do
	if ! kill -0 $bridge 2>/dev/null || [ $(( ($(date +%s%N) - t0) / 1000000000 )) -gt 900 ]; then
		echo "not up; see $dir" >&2
		KEEP=1
		exit 1
	fi
	sleep 0.2
done
t_up=$(( ($(date +%s%N) - t0) / 1000000 ))
sleep 5 # the start-up settles (Boot! events, first refreshes)
rss_kib=$(awk '/^VmRSS/ {print $2}' /proc/$bridge/status)

# idle: what N routers cost with no request (keepalive probes, listen streams)
scrape "$dir/idle0"
sleep "$D"
scrape "$dir/idle1"

eids=$(grep -o 'router sim[0-9]*: USP agent [^ ]*' "$dir/trbridge.log" | awk '{print $5}')
printf '%s\n' $eids > "$dir/eids"
worker() {
	local w=$1 end=$(( $(date +%s) + D )) n=0 eid s
	while [ "$(date +%s)" -lt $end ]; do
		eid=$(sed -n "$(( (RANDOM * 32768 + RANDOM) % N + 1 ))p" "$dir/eids")
		s=$(date +%s%N)
		"$CTL" --mqtt mqtt://127.0.0.1:$MQTT_PORT --agent "$eid" --controller-id self::bench-ctl \
			get Device.DeviceInfo.HostName > /dev/null 2>&1 || echo "fail $eid" >> "$dir/fail"
		echo $(( ($(date +%s%N) - s) / 1000 )) >> "$dir/ctl_us.$w"
		n=$((n + 1))
	done
}
scrape "$dir/load0"
workers=()
for ((w = 0; w < P; w++)); do
	worker $w &
	workers+=($!)
done
for p in "${workers[@]}"; do wait "$p" || true; done
scrape "$dir/load1"

python3 - "$dir" "$N" "$MODE" "$t_up" "$rss_kib" "$D" "$P" <<'PY'
import re, sys
d, n, mode, t_up, rss, dur, par = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
def load(name):
    out = {}
    for line in open(f"{d}/{name}"):
        if line.startswith("#") or not line.strip():
            continue
        k, v = line.rsplit(" ", 1)
        out[k] = float(v)
    return out
i0, i1, l0, l1 = load("idle0"), load("idle1"), load("load0"), load("load1")
cpu = "process_cpu_seconds_total"
idle_cpu_s = (i1[cpu] - i0[cpu]) / dur
reqs = l1.get('trbridge_usp_requests_total{msg_type="GET"}', 0) - l0.get('trbridge_usp_requests_total{msg_type="GET"}', 0)
load_cpu = l1[cpu] - l0[cpu] - idle_cpu_s * dur
# server-side latency quantiles from the histogram's deltas (upper bound of the bucket reached)
b = []
for k, v in l1.items():
    m = re.match(r'trbridge_usp_request_duration_seconds_bucket\{msg_type="GET",le="([^"]+)"\}', k)
    if m:
        b.append((float(m.group(1)), v - l0.get(k, 0)))
b.sort()
def q(p):
    total = b[-1][1] if b else 0
    for le, c in b:
        if total and c >= p * total:
            return le
    return float("nan")
ctl = []
import glob
for f in glob.glob(f"{d}/ctl_us.*"):
    ctl += [int(x) for x in open(f)]
ctl.sort()
fails = sum(1 for _ in open(f"{d}/fail")) if __import__("os").path.exists(f"{d}/fail") else 0
pct = lambda p: ctl[min(len(ctl) - 1, int(p * len(ctl)))] / 1000 if ctl else float("nan")
print(f"N={n} mode={mode}")
print(f"all agents and MQTT connections up after: {t_up} ms")
print(f"trbridge RSS: {rss} KiB, {rss * 1024 // n} bytes/router")
print(f"idle CPU: {idle_cpu_s * 1000:.1f} ms per s ({idle_cpu_s * 100:.1f} % of one core)")
print(f"load: {par} ctl loops for {dur:.0f} s: {reqs:.0f} Gets answered ({reqs / dur:.1f}/s), {fails} failed")
print(f"trbridge CPU per Get (idle subtracted): {load_cpu / reqs * 1e6:.0f} us" if reqs else "no Gets")
print(f"server-side Get latency (arrival to answer sent): p50 <= {q(0.5) * 1000:g} ms, p99 <= {q(0.99) * 1000:g} ms")
print(f"trbridge-ctl wall time per Get (process start, MQTT connect, Get): p50 {pct(0.5):.0f} ms, p99 {pct(0.99):.0f} ms")
up = l1.get('trbridge_routers_routeros{state="up"}', 0)
print(f"routers up at the end: {up:.0f} of {n}")
PY
