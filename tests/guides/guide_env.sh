# guide_env.sh — sourced by the guide tests: a scratch directory, the processes they start (stopped
# and the directory removed on exit, whatever happens), failing with the logs shown, free ports.
# Set GUIDE (the test's name) before sourcing.
dir=$(mktemp -d "/tmp/trbridge-$GUIDE.XXXXXX")
chmod 0755 "$dir" # mosquitto may drop to its own user and must still read and write here
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
fail() {
  echo "$GUIDE: FAIL: $*" >&2
  for f in "$dir"/*.log; do echo "== $f" >&2; tail -20 "$f" >&2; done
  exit 1
}
# A loopback port nothing listens on, below the ephemeral range (outgoing sockets hold those).
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 12000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  exit 1
}
