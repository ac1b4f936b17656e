#!/usr/bin/env python3
"""Where a trunk/pocket analysis misses or adds initial contacts (plain python, no numpy).

Usage:
  trunk_misses.py [--bin build/backstep] [--per-file] [--list] RECORDING [RECORDING ...]

Each RECORDING needs NAME.truth.json next to it (initial_contacts_s, segments). The recording
is analysed with `backstep analyze --format json --placement lower-back` and matched one-to-one
with the truth within 100 ms, as `backstep validate` does. Every reference contact in a walk or
turn segment is classified by its place: the first / second / last / second-last contact of a
walk segment, inside a turn, or mid-walk; a miss is "late/early" when a detection sits 100-250 ms
away (a timing failure, not a missed step). False detections are classified the same way (or
"outside" a segment). Only counts are printed (no data); --list prints the times of misses.
"""
import json
import os
import subprocess
import sys

MATCH = 0.100


def analyse(binary, path, placement):
    out = subprocess.run(
        [binary, "analyze", path, "--format", "json", "--placement", placement, "--no-store"],
        capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def match(ref, det):
    pairs = []
    for i, r in enumerate(ref):
        for k, d in enumerate(det):
            if abs(d - r) <= MATCH:
                pairs.append((abs(d - r), i, k))
    pairs.sort()
    ru, du = {}, {}
    for dt, i, k in pairs:
        if i in ru or k in du:
            continue
        ru[i] = k
        du[k] = i
    return ru, du


def place(t, segs, ics):
    for s in segs:
        if s["start_s"] - 0.5 <= t <= s["end_s"] + 0.5 and s["activity"] == "turn" and \
                s["start_s"] <= t <= s["end_s"]:
            return "turn"
    for s in segs:
        if not s["activity"].startswith("walk"):
            continue
        if s["start_s"] - 0.5 <= t <= s["end_s"] + 0.5:
            inside = [x for x in ics if s["start_s"] - 0.5 <= x <= s["end_s"] + 0.5]
            if not inside:
                return "walk-mid"
            idx = min(range(len(inside)), key=lambda k: abs(inside[k] - t))
            if idx == 0:
                return "walk-first"
            if idx == 1:
                return "walk-second"
            if idx == len(inside) - 1:
                return "walk-last"
            if idx == len(inside) - 2:
                return "walk-second-last"
            return "walk-mid"
    return "outside"


def main(argv):
    binary = "build/backstep"
    per_file = lst = False
    placement = "lower-back"
    files = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--bin":
            binary = argv[i + 1]
            i += 1
        elif a == "--placement":
            placement = argv[i + 1]
            i += 1
        elif a == "--per-file":
            per_file = True
        elif a == "--list":
            lst = True
        else:
            files.append(a)
        i += 1
    if not files:
        print(__doc__)
        return 2
    tot_ref, tot_miss, tot_fp, tot_near = {}, {}, {}, {}
    for path in files:
        base = path[: path.rfind(".")]
        truth = json.load(open(base + ".truth.json"))
        segs = truth.get("segments", [])
        ics = truth.get("initial_contacts_s", [])
        ref = [t for t in ics if any(s["start_s"] - 0.5 <= t <= s["end_s"] + 0.5 for s in segs)]
        res = analyse(binary, path, placement)
        det = [s["ic_s"] for s in res["steps"]
               if any(g["start_s"] - 0.5 <= s["ic_s"] <= g["end_s"] + 0.5 for g in segs)]
        ru, du = match(ref, det)
        miss = []
        for i2, r in enumerate(ref):
            p = place(r, segs, ref)
            tot_ref[p] = tot_ref.get(p, 0) + 1
            if i2 in ru:
                continue
            tot_miss[p] = tot_miss.get(p, 0) + 1
            near = any(MATCH < abs(d - r) <= 0.25 for d in det)
            if near:
                tot_near[p] = tot_near.get(p, 0) + 1
            miss.append((r, p, near))
        fps = []
        for k, d in enumerate(det):
            if k in du:
                continue
            p = place(d, segs, ref)
            tot_fp[p] = tot_fp.get(p, 0) + 1
            fps.append((d, p))
        if per_file:
            print(f"{os.path.basename(path):24s} ref {len(ref):3d} det {len(det):3d} "
                  f"miss {len(miss):2d} fp {len(fps):2d}  bouts {len(res['bouts'])}")
        if lst:
            for r, p, near in miss:
                print(f"   miss {r:7.2f} {p}{' (timing)' if near else ''}")
            for d, p in fps:
                print(f"   fp   {d:7.2f} {p}")
    print(f"{'place':18s} {'ref':>6s} {'missed':>7s} {'of which timing':>16s} {'false':>6s}")
    for p in sorted(set(tot_ref) | set(tot_fp)):
        print(f"{p:18s} {tot_ref.get(p, 0):6d} {tot_miss.get(p, 0):7d} {tot_near.get(p, 0):16d} "
              f"{tot_fp.get(p, 0):6d}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
