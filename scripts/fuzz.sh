#!/usr/bin/env bash
# fuzz.sh [SECONDS] [TARGET...] — builds the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang in
# build-fuzz/ and runs each for SECONDS (default 60), or only the named targets. Crashes and leaks
# fail the run; reproducers are left in build-fuzz/artifacts/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
shift || true
TB_WITH_FUZZ=1 "$top/scripts/deps.sh"
CC=clang cmake -S "$top" -B "$top/build-fuzz" -DTB_FUZZ=ON >/dev/null
cmake --build "$top/build-fuzz" -j "$(nproc)" >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$top"/tests/fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi
mkdir -p "$top/build-fuzz/artifacts"
for t in "${targets[@]}"; do
  # new inputs go to the first corpus directory: a scratch one, never the committed seeds
  corpus=("$top/build-fuzz/corpus/$t")
  mkdir -p "${corpus[0]}"
  [ -d "$top/tests/fuzz/corpus/$t" ] && corpus+=("$top/tests/fuzz/corpus/$t")
  echo "fuzz: $t for ${secs}s"
  "$top/build-fuzz/tests/$t" -max_total_time="$secs" -print_final_stats=0 \
    -artifact_prefix="$top/build-fuzz/artifacts/$t-" "${corpus[@]}" 2>"$top/build-fuzz/artifacts/$t.log" ||
    { tail -30 "$top/build-fuzz/artifacts/$t.log"; echo "fuzz: $t FAILED"; exit 1; }
done
echo "fuzz: ${#targets[@]} targets ran ${secs}s each without a finding"
