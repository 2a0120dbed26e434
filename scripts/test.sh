#!/usr/bin/env bash
# test.sh — installs what is missing, builds, and runs every test suite (unit, then integration).
# `scripts/test.sh --sanitize` does the same in build-asan/ under AddressSanitizer + UBSan.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$top/build
opts=()
if [ "${1:-}" = "--sanitize" ]; then
  dir=$top/build-asan
  opts=(-DTB_SANITIZE=ON)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
"$top/scripts/build.sh" "$dir" "${opts[@]}"
cd "$dir"
ctest --output-on-failure -j "$(nproc)" -L unit
ctest --output-on-failure -L integration
