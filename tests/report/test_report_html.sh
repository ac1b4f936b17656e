#!/usr/bin/env bash
# The HTML progress report in a real browser: a month of simulated retro-walking sessions
# (backstep simulate + analyze, getting faster, fewer heel-first faults, steadier) and check-ins
# (pain falling) are stored, `backstep report --format html` writes the page, its structure is
# checked (every chart an SVG with data), and headless Chromium renders it to a screenshot whose
# pixels must show each chart's colours. The screenshot stays in ARTIFACTS as a test artifact.
# Usage: test_report_html.sh BACKSTEP JSON_CHECK TMPDIR ARTIFACTS SOURCE_DIR
set -u
BIN=$1
JQ=$2
TMP=$3
ART=$4
SRC=$5
rm -rf "$TMP" && mkdir -p "$TMP" "$ART"
export BACKSTEP_DB="$TMP/history.db" TZ=UTC BACKSTEP_USER=walker
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# 13 sessions over four weeks of March 2026: speed 0.45 -> 0.75 m/s, heel-first faults 12 -> 0,
# stride-time CV 6 -> 2 %, each after a forward warm-up (auto mounting); pain 7 -> 2.
n=0
for d in 02 04 06 09 11 13 16 18 20 23 25 27 30; do
  k=$n
  sp=$(awk -v k="$k" 'BEGIN { printf "%.3f", 0.45 + 0.025 * k }')
  faults=$((12 - k))
  cv=$(awk -v k="$k" 'BEGIN { printf "%.2f", 6 - k / 3 }')
  "$BIN" simulate --placement foot-right --seed $((100 + k)) --out "$TMP/s$d.csv" \
    --scenario-text "stand 3s;walk forward 10 strides speed=1.1;stand 2s;walk backward 90s speed=$sp heel-faults=$faults cv=$cv;stand 3s" \
    >/dev/null || bad "simulate $d"
  "$BIN" analyze --placement foot-right --start "2026-03-${d}T07:30" "$TMP/s$d.csv" >/dev/null ||
    bad "analyze $d"
  "$BIN" checkin --date "2026-03-$d" --pain $((7 - k * 5 / 12)) --wellbeing $((4 + k / 3)) \
    >/dev/null || bad "checkin $d"
  n=$((n + 1))
done
count=$("$BIN" history --format json | "$JQ" - len sessions)
if [ "$count" = 13 ]; then ok "13 sessions stored"; else bad "13 sessions stored (got $count)"; fi

"$BIN" report --format json >"$TMP/report.json" && ok "report json" || bad "report json"
verdict() { "$JQ" "$TMP/report.json" get "trends.$1.verdict"; }
[ "$(verdict speed_mps)" = '"improving"' ] && ok "speed trend improving" || bad "speed trend: $(verdict speed_mps)"
[ "$(verdict pain_0_10)" = '"improving"' ] && ok "pain trend improving" || bad "pain trend: $(verdict pain_0_10)"
[ "$(verdict toe_first_pct)" = '"improving"' ] && ok "toe-first trend improving" || bad "toe-first trend: $(verdict toe_first_pct)"
weeks=$("$JQ" "$TMP/report.json" len periods)
[ "$weeks" = 5 ] && ok "five ISO weeks (W10..W14)" || bad "weeks: $weeks"

page="$ART/progress-report.html"
if "$BIN" report --format html --out "$page" 2>/dev/null; then ok "report html"; else bad "report html"; fi
cp "$page" "$TMP/report.html"
# Structure: a complete page, six charts, each an SVG that parses as XML and carries data marks.
if python3 - "$page" <<'PY'
import re, sys, xml.dom.minidom
page = open(sys.argv[1], encoding="utf-8").read()
assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>"), "not a whole page"
assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", ""), \
    "the page must be self-contained"
svgs = re.findall(r"<svg .*?</svg>", page, re.S)
assert len(svgs) == 6, f"{len(svgs)} charts, expected 6"
for svg in svgs:
    doc = xml.dom.minidom.parseString(svg)
    marks = doc.getElementsByTagName("circle").length + doc.getElementsByTagName("rect").length
    assert marks >= 5, "a chart without data"
    texts = [t.firstChild.data for t in doc.getElementsByTagName("text") if t.firstChild]
    assert any("(" in t for t in texts), "an axis title with its unit is missing"
print("6 charts, each well-formed SVG with data marks and axis titles")
PY
then ok "html structure"; else bad "html structure"; fi

# Render in headless Chromium (Debian's package; scripts/install-deps installs it).
chrome=$(command -v chromium || command -v chromium-browser || true)
shot="$ART/progress-report.png"
rm -f "$shot"
if [ -z "$chrome" ]; then
  bad "chromium not installed (scripts/install-deps installs it)"
else
  timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$TMP/chromium-profile" --hide-scrollbars --window-size=800,2700 \
    --screenshot="$shot" "file://$page" >"$TMP/chromium.log" 2>&1
  if [ -s "$shot" ]; then ok "chromium screenshot ($shot)"; else bad "chromium screenshot"; tail -5 "$TMP/chromium.log"; fi
  # Blue: backward bars and the per-session lines; vermillion: pain; green: wellbeing.
  if [ -s "$shot" ] && python3 "$SRC/tests/report/png_check.py" "$shot" 800 2000 \
      "blue=#0072B2:20000" "pain=#D55E00:800" "wellbeing=#009E73:800" "other=#E69F00:100"; then
    ok "the charts are drawn"
  else
    bad "the charts are drawn"
  fi
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
