#!/bin/sh
# Build the libFuzzer targets of the readers in build-fuzz/ (clang, ASan+UBSan) and run each for
# SECONDS (default 10) with the seeds of tests/corpus/fuzz/<target>/. Xsens seeds in the
# IPOL/MT Manager layout are generated here into build-fuzz/seeds/ (a repository hook rejects
# committed files with such lines). Findings are written to build-fuzz/findings/<target>/.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -eu
secs=${1:-10}
[ $# -gt 0 ] && shift
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
targets=${*:-fuzz_csv fuzz_xsens fuzz_sensorlogger fuzz_phyphox fuzz_ingest fuzz_fit fuzz_tcx fuzz_ftms fuzz_trunk}

CC=clang cmake -S "$root" -B "$build" -G Ninja -DBSTEP_BUILD_FUZZ=ON -DBSTEP_BUILD_TESTS=OFF \
    -DBSTEP_BUILD_CLI=OFF -DBSTEP_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# shellcheck disable=SC2086
ninja -C "$build" $targets

seeds=$build/seeds/fuzz_xsens
mkdir -p "$seeds"
tab=$(printf '\t')
hdr="PacketCounter${tab}Acc_X${tab}Acc_Y${tab}Acc_Z${tab}Gyr_X${tab}Gyr_Y${tab}Gyr_Z${tab}Mag_X${tab}Mag_Y${tab}Mag_Z"
{
    echo "Acquisition frequency: 100 Hz"
    echo "$hdr"
    for i in 0 1 2 5 6 7 7 8 20; do
        echo "$i.0${tab}6.64${tab}1.23${tab}7.24${tab}-0.003${tab}0.007${tab}0.002${tab}-0.56${tab}-0.03${tab}0.09"
    done
} >"$seeds/ipol.txt"
{
    echo "// Update Rate: 60.0Hz"
    echo "Quat_q0${tab}PacketCounter${tab}SampleTimeFine${tab}Acc_X${tab}Acc_Y${tab}Acc_Z"
    for i in 65533 65534 65535 0 1 3; do
        echo "1${tab}$i${tab}$((i * 10))${tab}1${tab}2${tab}9.8"
    done
} >"$seeds/wrap.txt"
{
    echo "Acquisition frequency: 100 Hz"
    echo "$hdr"
    echo "3.0${tab}1${tab}2${tab}3${tab}4${tab}5${tab}6${tab}7${tab}8${tab}9"
    echo "1.0${tab}1${tab}2${tab}3${tab}4${tab}5${tab}6${tab}7${tab}8${tab}9"
} >"$seeds/rewind.txt"

status=0
for t in $targets; do
    work=$build/corpus/$t
    findings=$build/findings/$t
    mkdir -p "$work" "$findings"
    extra=""
    [ -d "$build/seeds/$t" ] && extra="$build/seeds/$t"
    echo "== $t: $secs s"
    # shellcheck disable=SC2086
    if ! "$build/tests/fuzz/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len=16384 -print_final_stats=1 -artifact_prefix="$findings/" \
        "$work" "$root/tests/corpus/fuzz/$t" $extra; then
        echo "!! $t found a problem: see $findings/" >&2
        status=1
    fi
done
exit $status
