#!/usr/bin/env bash
# CLI tests for `backstep energy` (docs/energy.md): help, usage errors, the oracles of
# reference/energy.md through the command, text and JSON output.
# Usage: test_energy.sh BACKSTEP JSON_CHECK TMPDIR
#   BACKSTEP    the backstep binary (runs "BACKSTEP energy ...")
#   JSON_CHECK  tests/cli/json_check built binary
#   TMPDIR      scratch directory (emptied)
# Prints one line per check and a final "N passed, N failed"; exit 1 if any failed.
set -u
BIN=$1
JQ=$2
TMP=$3
rm -rf "$TMP" && mkdir -p "$TMP"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
run() { "$BIN" energy "$@" >"$TMP/out" 2>"$TMP/err"; }
check() { # name, args...
  local name=$1; shift
  if run "$@"; then ok "$name"; else bad "$name (exit $?)"; head -5 "$TMP/err"; fi
}
expect_exit() { # name, code, args...
  local name=$1 code=$2; shift 2
  run "$@"
  local rc=$?
  if [ "$rc" -eq "$code" ]; then ok "$name"; else bad "$name (exit $rc, expected $code)"; head -5 "$TMP/err"; fi
}
contains() { # name, file, text
  if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1: '$3' not in $2"; head -20 "$2"; fi
}
get() { "$JQ" "$TMP/out" get "$1"; }
near() { # name, path, expected, tolerance  (on $TMP/out as JSON)
  local v
  v=$(get "$2")
  if awk -v v="$v" -v e="$3" -v t="$4" 'BEGIN { d = v - e; if (d < 0) d = -d; exit !(v != "null" && d <= t) }'; then
    ok "$1 ($v)"
  else
    bad "$1: $2 = $v, expected $3 +- $4"
  fi
}
equals() { # name, path, expected JSON text
  local v
  v=$(get "$2")
  if [ "$v" = "$3" ]; then ok "$1"; else bad "$1: $2 = $v, expected $3"; fi
}

# --- help and usage errors -------------------------------------------------------------------
check "help" --help
for opt in --speed --grade --direction --gait --mass --minutes --hr --age --sex --format \
  --older-adult --compendium-year; do
  contains "help documents $opt" "$TMP/out" "$opt"
done
contains "help: no medical claim" "$TMP/out" "not a medical assessment"
expect_exit "no speed and no hr" 2
expect_exit "speed not a number" 2 --speed fast
expect_exit "speed with junk" 2 --speed 1.0x
expect_exit "speed above 10" 2 --speed 11
expect_exit "negative speed" 2 --speed -1
expect_exit "grade above 40" 2 --speed 1 --grade 50
expect_exit "grade below -20" 2 --speed 1 --grade -25
expect_exit "mass below 20" 2 --speed 1 --mass 10
expect_exit "mass above 300" 2 --speed 1 --mass 400
expect_exit "negative minutes" 2 --speed 1 --minutes -1
expect_exit "bad direction" 2 --speed 1 --direction sideways
expect_exit "bad gait" 2 --speed 1 --gait jog
expect_exit "bad format" 2 --speed 1 --format xml
expect_exit "bad sex" 2 --speed 1 --hr 120 --age 30 --sex X
expect_exit "hr without age" 2 --hr 120 --sex F --mass 60
expect_exit "hr without sex" 2 --hr 120 --age 30 --mass 60
expect_exit "hr out of range" 2 --hr 250 --age 30 --sex F --mass 60
expect_exit "age out of range" 2 --hr 120 --age 120 --sex F --mass 60
expect_exit "bad compendium year" 2 --speed 1 --compendium-year 2019
expect_exit "two speeds" 2 --speed 1 --speed-kmh 4
expect_exit "unknown option" 2 --speed 1 --frobnicate
expect_exit "positional argument" 2 --speed 1 extra
expect_exit "missing value" 2 --speed
contains "usage error names the option" "$TMP/err" "--speed"

# --- text ------------------------------------------------------------------------------------
# Compendium 2024 17320: backward 3.5 mph (93.8 m/min) level = 6.0 MET; 70 kg, 30 min = 220.5 kcal.
check "text backward 3.5 mph level" --speed 1.5633 --mass 70 --minutes 30
contains "text METs 6.00" "$TMP/out" "6.00"
contains "text 220.5 kcal" "$TMP/out" "220.5 kcal in 30 min"
contains "text names the Compendium code" "$TMP/out" "17320"
contains "text names the model" "$TMP/out" "backstep-bw-walk"
contains "text states uncertainty" "$TMP/out" "+-15 %"
contains "text compares with forward" "$TMP/out" "1.63 times"
contains "text no medical claim" "$TMP/out" "not a medical assessment"
check "text extrapolated" --speed 0.5 --mass 70
contains "text says extrapolated" "$TMP/out" "extrapolated"
check "text assumed mass" --speed 1.0
contains "text says mass assumed" "$TMP/out" "70 kg assumed"
check "text heart rate" --speed 1.0 --mass 75 --minutes 30 --hr 150 --age 35 --sex M
contains "text Keytel 441.0 kcal" "$TMP/out" "441.0 kcal in 30 min"
contains "text Keytel backward caveat" "$TMP/out" "likely too high"
check "text older adult" --speed 1.0 --mass 70 --older-adult
contains "text older-adult METs" "$TMP/out" "2.7 mL/kg/min"

# --- JSON: the oracles -----------------------------------------------------------------------
check "json backward level" --speed 1.5633 --mass 70 --minutes 30 --format json
if "$JQ" "$TMP/out" >/dev/null; then ok "json is valid"; else bad "json is valid"; fi
if "$JQ" "$TMP/out" has schema has input.speed_mps \
  has input.grade_pct has input.direction has input.gait has input.mass_kg has input.mass_assumed \
  has input.minutes has input.hr_bpm has input.age_y has input.sex has input.vo2max_ml_kg_min \
  has input.older_adult has input.compendium_year has model.name has model.equation \
  has model.source has model.valid_speed_mps has model.valid_grade_pct has direction has gait \
  has grade_used_pct has vo2_ml_kg_min has vo2_net_ml_kg_min has met has met_older_adult \
  has kcal_per_min has kcal_per_min_net has kcal_per_min_low has kcal_per_min_high \
  has energy_kcal has energy_net_kcal has uncertainty_pct has vo2_low_ml_kg_min \
  has vo2_high_ml_kg_min has energy_low_kcal has energy_high_kcal has forward_vo2_ml_kg_min \
  has forward_met has backward_to_forward_ratio has extrapolated has flags has compendium \
  has kcal_per_min_hr has energy_kcal_hr has heart_rate has notes 2>"$TMP/jerr"; then
  ok "json has every documented key"
else
  bad "json has every documented key"; cat "$TMP/jerr"
fi
equals "json schema id" schema '"backstep.energy/1"'
near "BW 3.5 mph level VO2 21.00" vo2_ml_kg_min 21.00 0.01
near "BW 3.5 mph level 6.00 MET" met 6.00 0.01
near "70 kg 30 min 220.5 kcal" energy_kcal 220.50 0.01
near "FW VO2 at same speed 12.88" forward_vo2_ml_kg_min 12.88 0.01
near "BW/FW ratio 1.63" backward_to_forward_ratio 1.63 0.006
equals "compendium code 17320" compendium.code '"17320"'
near "compendium 2024 17320 6.0" compendium.met 6.0 0.001
equals "compendium edition 2024" compendium.edition 2024
equals "not extrapolated" extrapolated false
equals "model name" model.name '"backstep-bw-walk"'
near "uncertainty 15 %" uncertainty_pct 15 0.001

check "json backward 3.5 mph 5 %" --speed 1.5633 --grade 5 --format json
near "BW 93.8 m/min 5 % VO2 28.91" vo2_ml_kg_min 28.91 0.01
near "BW 93.8 m/min 5 % 8.26 MET" met 8.26 0.01
equals "compendium 2024 17325" compendium.code '"17325"'
near "compendium 2024 17325 7.8 MET" compendium.met 7.8 0.001
check "json backward 3.5 mph 5 % (2011)" --speed 1.5633 --grade 5 --compendium-year 2011 --format json
near "compendium 2011 17325 8.0 MET" compendium.met 8.0 0.001

check "json backward 2.5 mph 10 %" --speed 1.1167 --grade 10 --format json
near "BW 67 m/min 10 % VO2 27.30" vo2_ml_kg_min 27.30 0.01
near "BW 67 m/min 10 % 7.80 MET" met 7.80 0.01
equals "compendium 2024 17475" compendium.code '"17475"'
near "compendium 2024 17475 7.8 MET" compendium.met 7.8 0.001
near "FW 2.5 mph 10 % VO2 22.26" forward_vo2_ml_kg_min 22.26 0.01

check "json 1.0 m/s level" --speed 1.0 --mass 70 --minutes 30 --format json
near "BW 1.0 m/s VO2 14.69" vo2_ml_kg_min 14.69 0.01
near "BW 1.0 m/s 4.20 MET" met 4.20 0.01
near "70 kg 30 min 154.29 kcal" energy_kcal 154.29 0.01
equals "1.0 m/s no compendium code" compendium null
check "json 1.0 m/s 5 %" --speed 1.0 --grade 5 --format json
near "BW 1.0 m/s 5 % VO2 19.75" vo2_ml_kg_min 19.75 0.01
near "BW 1.0 m/s 5 % 5.64 MET" met 5.64 0.01
check "json 0.5 m/s" --speed 0.5 --format json
near "BW 0.5 m/s VO2 9.10" vo2_ml_kg_min 9.10 0.01
equals "0.5 m/s extrapolated" extrapolated true
equals "0.5 m/s mass assumed" input.mass_assumed true
check "json 0.8 m/s 60 kg 15 min" --speed 0.8 --mass 60 --minutes 15 --format json
near "60 kg 15 min 0.8 m/s 56.05 kcal" energy_kcal 56.05 0.01
check "json backward run" --speed 2.68 --gait run --format json
near "BW run 2.68 m/s VO2 46.92" vo2_ml_kg_min 46.92 0.01
near "BW run 2.68 m/s 13.40 MET" met 13.40 0.01
equals "BW run model" model.name '"backstep-bw-run"'

# Forward: ACSM worked example (70 kg, 3.5 mph, 10 %: 29.76 mL/kg/min, 8.50 MET, 10.42 kcal/min).
check "json forward ACSM example" --speed 1.563333 --grade 10 --direction forward --mass 70 --format json
near "ACSM 29.76 mL/kg/min" vo2_ml_kg_min 29.76 0.01
near "ACSM 8.50 MET" met 8.50 0.01
near "ACSM 10.42 kcal/min" kcal_per_min 10.42 0.01
equals "ACSM model" model.name '"acsm-walk"'
near "forward ratio 1" backward_to_forward_ratio 1 1e-9
equals "forward has no stated band" uncertainty_pct null
check "json forward 3.5 mph (2011)" --speed-mph 3.5 --direction forward --compendium-year 2011 --format json
near "compendium 2011 17200 4.3 MET" compendium.met 4.3 0.001
check "json forward 6 mph run" --speed-mph 6 --direction forward --format json
equals "forward run model (auto)" model.name '"acsm-run"'
near "compendium 2024 12050 9.3" compendium.met 9.3 0.001

# Flags.
check "json downhill" --speed 1.0 --grade -5 --format json
contains "downhill clamped flag" "$TMP/out" '"grade_clamped"'
near "downhill used as level" grade_used_pct 0 0.001

# Heart rate: Keytel oracles (separate from the speed-based figure).
check "json Keytel man 75 kg 35 y 150 bpm" --hr 150 --age 35 --sex M --mass 75 --minutes 30 --direction forward --format json
near "Keytel 441.02 kcal" energy_kcal_hr 441.02 0.01
equals "HR only: no speed model" model null
equals "HR only: no speed kcal" energy_kcal null
check "json Keytel 49 y 155 lb man" --hr 148 --age 49 --sex M --mass 70.454545 --minutes 60 --format json
near "Keytel men 891.48 kcal" energy_kcal_hr 891.48 0.02
contains "Keytel flags age outside 18-45" "$TMP/out" '"hr_extrapolated"'
contains "Keytel backward flag" "$TMP/out" '"hr_backward"'
check "json Keytel 49 y 155 lb woman" --hr 148 --age 49 --sex F --mass 70.454545 --minutes 60 --format json
near "Keytel women 580.94 kcal" energy_kcal_hr 580.94 0.02
check "json Keytel VO2max man" --hr 140 --age 30 --sex M --mass 70 --vo2max 45 --format json
near "Keytel VO2max man 11.20 kcal/min" kcal_per_min_hr 11.20 0.006
equals "Keytel VO2max equation" heart_rate.equation '"keytel-2005-vo2max"'
check "json Keytel VO2max woman" --hr 140 --age 30 --sex F --mass 60 --vo2max 40 --format json
near "Keytel VO2max woman 7.94 kcal/min" kcal_per_min_hr 7.94 0.006
check "json speed and heart rate" --speed 1.0 --mass 75 --minutes 30 --hr 150 --age 35 --sex M --format json
near "both: speed-based 165.3 kcal" energy_kcal 165.31 0.01
near "both: heart-rate 441.02 kcal" energy_kcal_hr 441.02 0.01

# Older adults: METs at 2.7 mL/kg/min, kcal unchanged; automatic from age 60.
check "json older adult" --speed 1.5633 --age 70 --format json
near "older-adult METs 21/2.7" met_older_adult 7.78 0.01
equals "older adult from age" input.older_adult true

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
