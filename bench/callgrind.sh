#!/usr/bin/env bash
# Deterministic cost of the core: instructions per sample of bstep_analyzer_update (inclusive:
# the engines, the orientation filter, the bout logic), counted by valgrind's callgrind on the
# synthetic input of bench_core. Instruction counts do not depend on the machine's load, so a
# regression shows as a changed number (docs/performance.md tracks them).
#   bench/callgrind.sh [BUILD_DIR]        (default build-rel, a Release build)
set -euo pipefail
build=${1:-build-rel}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind is not installed" >&2; exit 2; }
if [ ! -x "$build/bench/bench_core" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target bench_core >/dev/null
hours=0.05 # 18 000 samples per placement
samples=$(python3 -c "print(int($hours * 3600 * 100))")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-12s %14s %10s\n' placement instructions per_sample
for p in foot lower-back pocket; do
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$p" \
    --toggle-collect='bstep_analyzer_update' "$build/bench/bench_core" "$hours" "$p" \
    >/dev/null 2>"$tmp/log.$p"
  ir=$(sed -nE 's/^summary: ([0-9]+).*/\1/p' "$tmp/cg.$p")
  printf '%-12s %14s %10.0f\n' "$p" "$ir" "$(python3 -c "print($ir / $samples)")"
done
