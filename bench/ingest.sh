#!/usr/bin/env bash
# Ingest benchmark: the library's CSV reader against `wc -l` on the same file in the same run
# (wc -l reads every byte and finds every line end: the physical floor of reading the file here).
#   bench/ingest.sh [HOURS] [BUILD_DIR]    (default 24 hours, build-rel)
# Makes a HOURS-long 100 Hz 6-axis canonical CSV with `backstep simulate` (kept in BUILD_DIR for
# later runs), reads it once to warm the page cache, then reports the best of 5 runs of each.
set -euo pipefail
hours=${1:-24}
build=${2:-build-rel}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -x "$build/bench/bench_ingest" ] || [ ! -x "$build/backstep" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target bench_ingest backstep_cli >/dev/null
fi
file="$build/bench-${hours}h.csv"
if [ ! -s "$file" ]; then
  echo "making $file ($hours h of simulated 100 Hz lower-back walking)" >&2
  secs=$(python3 -c "print(int(float('$hours') * 3600))")
  "$build/backstep" simulate --placement lower-back --duration "$secs" --out "$file" \
    --truth /dev/null >/dev/null
fi
cat "$file" >/dev/null
wc_s=$(python3 - "$file" <<'PY'
import subprocess, sys, time
best = None
for _ in range(5):
    t = time.perf_counter()
    subprocess.run(["wc", "-l", sys.argv[1]], stdout=subprocess.DEVNULL, check=True)
    d = time.perf_counter() - t
    best = d if best is None or d < best else best
print(f"{best:.4f}")
PY
)
out=$("$build/bench/bench_ingest" "$file" 5)
echo "$out"
rd_s=$(sed -nE 's/.*best of [0-9]+: ([0-9.]+) s.*/\1/p' <<<"$out")
python3 - "$file" "$wc_s" "$rd_s" <<'PY'
import os, sys
size = os.path.getsize(sys.argv[1]) / 1e6
wc, rd = float(sys.argv[2]), float(sys.argv[3])
print(f"wc -l:  best of 5: {wc:.3f} s, {size / wc:.0f} MB/s")
print(f"ratio reader / wc -l: {rd / wc:.1f}x (target: within 4x)")
PY
