#!/usr/bin/env bash
# build.sh [BUILD_DIR] [cmake options...] — configures (once) and builds trbridge in BUILD_DIR
# (default: build/). Used by test.sh and demo.sh.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/build}
shift || true
"$top/scripts/deps.sh"
cmake -S "$top" -B "$dir" "$@" >/dev/null
cmake --build "$dir" -j "$(nproc)"
