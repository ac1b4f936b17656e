#!/usr/bin/env bash
# Memory of `backstep analyze` against the length of the recording (issue 9: constant whatever the
# file length, shown with 1 h, 24 h and 7 days).
#   bench/memory.sh [BUILD_DIR] [HOURS...]     (default build-rel, 1 24 168)
# For each length, `backstep simulate` writes HOURS of 100 Hz 6-axis lower-back walking (halves
# of at most 12 h each, backward at 0.7 m/s then forward at 1.2 m/s, repeated) to a pipe
# (no multi-gigabyte file: 7 days of CSV is 3.8 GB) and `tee` hands the same bytes to three
# analyses at once: the text report without storing, the JSON report (every step listed) without
# storing, and the text report stored into a new SQLite database (every step a row). Each runs
# under /usr/bin/time; the table gives its peak resident memory (max RSS) and wall time.
set -euo pipefail
build=${1:-build-rel}
shift || true
hours=("$@")
[ ${#hours[@]} -gt 0 ] || hours=(1 24 168)
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -x "$build/backstep" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target backstep_cli >/dev/null
fi
bin=$(cd "$build" && pwd)/backstep
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-8s %-22s %12s %10s %10s\n' hours analysis "max RSS MB" "wall s" steps
for h in "${hours[@]}"; do
  scenario=$(python3 - "$h" <<'PY'
import sys
left, seg, back = float(sys.argv[1]) * 60, [], True
half = min(720.0, left / 2)  # minutes; a segment is at most 24 h (the simulator's bound)
while left > 1e-9:
    m = min(half, left)
    seg.append(("walk backward %gmin speed=0.7" if back else "walk forward %gmin speed=1.2") % m)
    left -= m
    back = not back
print(";".join(seg))
PY
)
  rm -f "$tmp"/*.db "$tmp"/*.time
  "$bin" simulate --placement lower-back --scenario-text "$scenario" --out - --truth /dev/null \
    2>"$tmp/sim.err" |
    tee >(/usr/bin/time -f '%M %e' -o "$tmp/json.time" "$bin" analyze --no-store --format json \
            --placement lower-back - >"$tmp/out.json" 2>/dev/null) \
        >(BACKSTEP_DB="$tmp/stored.db" /usr/bin/time -f '%M %e' -o "$tmp/stored.time" "$bin" \
            analyze --placement lower-back - >/dev/null 2>&1) |
    /usr/bin/time -f '%M %e' -o "$tmp/text.time" "$bin" analyze --no-store --placement lower-back - \
      >/dev/null 2>&1
  for _ in $(seq 1 600); do # the process substitutions end after the pipeline
    [ -s "$tmp/json.time" ] && [ -s "$tmp/stored.time" ] && break
    sleep 1
  done
  if [ -s "$tmp/sim.err" ]; then cat "$tmp/sim.err" >&2; exit 1; fi
  steps=$(grep -c '"ic_s"' "$tmp/out.json" || true)
  for m in text json stored; do
    read -r kb s <"$tmp/$m.time"
    label=$m
    case $m in
      text) label="text, not stored" ;;
      json) label="JSON, not stored" ;;
      stored) label="text, stored (SQLite)" ;;
    esac
    printf '%-8s %-22s %12.1f %10.1f %10s\n' "$h" "$label" "$(python3 -c "print($kb / 1024)")" "$s" "$steps"
  done
done
