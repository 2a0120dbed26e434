#!/usr/bin/env bash
# check_configs.sh BUILD_DIR — every trbridge.conf of the guides (examples/*/trbridge.conf) and the
# commented sample pass `trbridge --check-config` as written.
set -euo pipefail
b=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
n=0
for f in "$top"/examples/trbridge.conf "$top"/examples/*/trbridge.conf; do
  "$b/bridge/trbridge" --config "$f" --check-config
  n=$((n + 1))
done
echo "check_configs: $n configurations valid"
