#!/usr/bin/env python3
"""Where a trunk/pocket analysis misses or adds initial contacts (plain python, no numpy).

Usage:
  trunk_misses.py [--bin build/backstep] [--per-file] [--list [--signal]] RECORDING [RECORDING ...]

Each RECORDING needs NAME.truth.json next to it (initial_contacts_s, segments). The recording
is analysed with `backstep analyze --format json --placement lower-back` and matched one-to-one
with the truth within 100 ms, as `backstep validate` does. Every reference contact in a walk or
turn segment is classified by its place: the first / second / last / second-last contact of a
walk segment, inside a turn, or mid-walk; a miss is "late/early" when a detection sits 100-250 ms
away (a timing failure, not a missed step). False detections are classified the same way (or
"outside" a segment). Only counts are printed (no data); --list prints the times of misses.
--signal (with --list) adds, for each miss, the step chain around it as the engine sees it
(algorithms.md section 3; vertical acceleration from a 2 s centred gravity estimate instead of
the orientation filter, so values are approximate): the lowest value in the 0.4 s before, the
highest in -0.1..+0.3 s, and the range of the light timing chain in -0.2..+0.2 s, in m/s^2 --
enough to tell a step under the thresholds (peak < 0.4 and rise < 1.0) from a timing failure.
"""
import json
import os
import subprocess
import sys

MATCH = 0.100


def moving_mean(y, n):
    out, acc = [], 0.0
    for i, v in enumerate(y):
        acc += v
        if i >= n:
            acc -= y[i - n]
        out.append(acc / min(i + 1, n))
    return out


def chains(path):
    """Step chain (two 0.15 s means minus a trailing 1 s mean) and light chain (two 0.05 s
    means) of the vertical acceleration on a 100 Hz grid, delays removed."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from trunk_profile import read_recording, vertical
    t, acc = read_recording(path)
    av = vertical(t, acc)
    n = int(t[-1] * 100.0) + 1
    g, j = [0.0] * n, 0
    for k in range(n):
        x = k / 100.0
        while j + 1 < len(t) and t[j + 1] < x:
            j += 1
        if j + 1 < len(t) and t[j + 1] > t[j]:
            u = min(max((x - t[j]) / (t[j + 1] - t[j]), 0.0), 1.0)
            g[k] = av[j] + u * (av[j + 1] - av[j])
        else:
            g[k] = av[j]
    m2 = moving_mean(moving_mean(g, 15), 15)
    d = moving_mean(m2, 100)
    step = [m2[i] - d[i] for i in range(n)][14:] + [0.0] * 14
    light = moving_mean(moving_mean(g, 5), 5)[4:] + [0.0] * 4
    return step, light


def window(y, t, a, b):
    lo, hi = max(0, int(round((t + a) * 100))), min(len(y), int(round((t + b) * 100)) + 1)
    return y[lo:hi] or [0.0]


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
    per_file = lst = sig = False
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
        elif a == "--signal":
            sig = True
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
            step = light = None
            if sig and miss:
                step, light = chains(path)
            for r, p, near in miss:
                extra = ""
                if step is not None:
                    low = min(window(step, r, -0.4, 0.0))
                    peak = max(window(step, r, -0.1, 0.3))
                    lw = window(light, r, -0.2, 0.2)
                    extra = f"  low {low:5.2f} peak {peak:5.2f} rise {peak - low:5.2f} " \
                            f"light range {max(lw) - min(lw):5.2f}"
                print(f"   miss {r:7.2f} {p}{' (timing)' if near else ''}{extra}")
            for d, p in fps:
                print(f"   fp   {d:7.2f} {p}")
    print(f"{'place':18s} {'ref':>6s} {'missed':>7s} {'of which timing':>16s} {'false':>6s}")
    for p in sorted(set(tot_ref) | set(tot_fp)):
        print(f"{p:18s} {tot_ref.get(p, 0):6d} {tot_miss.get(p, 0):7d} {tot_near.get(p, 0):16d} "
              f"{tot_fp.get(p, 0):6d}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
