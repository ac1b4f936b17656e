#!/usr/bin/env python3
"""Mean vertical trunk acceleration around each initial contact (plain python, no numpy).

Usage:
  trunk_profile.py [--per-file] [--table] RECORDING [RECORDING ...]
  trunk_profile.py --pocket CSV [CSV ...]

RECORDING is an Xsens text file (voisard *_lb.txt) or a canonical CSV (mobgap, or the output of
`backstep simulate`), with NAME.truth.json next to it (initial_contacts_s, segments). Vertical
acceleration = specific force projected on the gravity direction (2 s centred moving mean of the
accelerometer vector) minus its magnitude, in m/s^2; this works for any mounting. Contacts inside
walking segments (activity walk*, side-*) with a full window are averaged, 10 ms bins from -0.4 to
+0.4 s. Printed: the steepest rise of the mean profile in [-0.25, +0.25] s, its peak in
[-0.25, +0.30] s, its minimum before the peak and the peak-to-trough size. Only summary numbers
are printed unless --table (the mean profile itself; do not copy it into the repository).

--pocket: accelerometer-only phone files (oxford): SD and 5-95 % range of |a| and the dominant
frequency of |a| (0.5-4 Hz) over the recording.
"""
import json
import math
import os
import sys

G = 9.80665


def read_recording(path):
    t, acc = [], []
    with open(path) as f:
        first = f.readline()
        if first.startswith("Acquisition frequency"):
            rate = float(first.split(":")[1].split()[0])
            f.readline()
            pc0 = None
            for line in f:
                c = line.split("\t")
                if len(c) < 4:
                    continue
                pc = float(c[0])
                if pc0 is None:
                    pc0 = pc
                t.append((pc - pc0) / rate)
                acc.append((float(c[1]), float(c[2]), float(c[3])))
            return t, acc
        hdr = first.strip().split(",")
        scale = G if "(g)" in hdr[1] else 1.0
        t0 = None
        for line in f:
            c = line.split(",")
            if len(c) < 4:
                continue
            tt = float(c[0])
            if t0 is None:
                t0 = tt
            t.append(tt - t0)
            acc.append((float(c[1]) * scale, float(c[2]) * scale, float(c[3]) * scale))
    return t, acc


def vertical(t, acc, half_s=1.0):
    """Specific force along the local gravity direction minus its size (m/s^2)."""
    n = len(t)
    out = [0.0] * n
    lo = hi = 0
    s = [0.0, 0.0, 0.0]
    for i in range(n):
        while hi < n and t[hi] <= t[i] + half_s:
            for k in range(3):
                s[k] += acc[hi][k]
            hi += 1
        while t[lo] < t[i] - half_s:
            for k in range(3):
                s[k] -= acc[lo][k]
            lo += 1
        m = hi - lo
        g = [s[k] / m for k in range(3)]
        gn = math.sqrt(g[0] ** 2 + g[1] ** 2 + g[2] ** 2)
        out[i] = (acc[i][0] * g[0] + acc[i][1] * g[1] + acc[i][2] * g[2]) / gn - gn
    return out


def interp(t, y, x, start):
    """Linear interpolation at x; start = index hint; returns (value, index) or (None, index)."""
    i = start
    while i + 1 < len(t) and t[i + 1] < x:
        i += 1
    if i + 1 >= len(t) or t[i] > x:
        return None, i
    if t[i + 1] - t[i] > 0.05:  # packet loss: do not bridge more than 50 ms
        return None, i
    u = (x - t[i]) / (t[i + 1] - t[i])
    return y[i] + u * (y[i + 1] - y[i]), i


BINS = [k / 100.0 for k in range(-40, 41)]


def profile(path):
    base = path[: path.rfind(".")]
    truth = json.load(open(base + ".truth.json"))
    t, acc = read_recording(path)
    av = vertical(t, acc)
    segs = [
        s for s in truth.get("segments", []) if s["activity"].startswith(("walk", "side"))
    ]
    acc_sum = [0.0] * len(BINS)
    n = 0
    idx = 0
    for ic in truth.get("initial_contacts_s", []):
        if not any(s["start_s"] <= ic <= s["end_s"] for s in segs):
            continue
        vals = []
        j = idx
        for b in BINS:
            v, j = interp(t, av, ic + b, j)
            if v is None:
                break
            vals.append(v)
        if len(vals) != len(BINS):
            continue
        # restart the hint a little before the next window
        while idx + 1 < len(t) and t[idx + 1] < ic:
            idx += 1
        for k, v in enumerate(vals):
            acc_sum[k] += v
        n += 1
    return [a / n for a in acc_sum] if n else None, n


def features(p):
    def sel(lo, hi):
        return [k for k, b in enumerate(BINS) if lo - 1e-9 <= b <= hi + 1e-9]

    ks = sel(-0.25, 0.30)
    kp = max(ks, key=lambda k: p[k])
    kr = max(
        (k for k in sel(-0.25, 0.25) if 0 < k < len(p) - 1),
        key=lambda k: p[k + 1] - p[k - 1],
    )
    kmin = min((k for k in sel(-0.30, BINS[kp])), key=lambda k: p[k])
    slope = (p[kr + 1] - p[kr - 1]) / 0.02
    return {
        "rise_s": BINS[kr],
        "rise_slope": slope,
        "peak_s": BINS[kp],
        "peak": p[kp],
        "min_s": BINS[kmin],
        "min": p[kmin],
        "at_ic": p[BINS.index(0.0)],
        "p2p": p[kp] - p[kmin],
    }


def fmt(name, n, f):
    return (
        f"{name:40s} n={n:4d}  rise {f['rise_s']*1000:+5.0f} ms ({f['rise_slope']:5.1f} m/s^3)"
        f"  peak {f['peak_s']*1000:+5.0f} ms {f['peak']:+5.2f}  min {f['min_s']*1000:+5.0f} ms"
        f" {f['min']:+5.2f}  at IC {f['at_ic']:+5.2f}  p2p {f['p2p']:4.2f} m/s^2"
    )


def pocket(path):
    t, acc = read_recording(path)
    mag = [math.sqrt(a[0] ** 2 + a[1] ** 2 + a[2] ** 2) for a in acc]
    # resample to 100 Hz
    ts = [k / 100.0 for k in range(int(t[-1] * 100))]
    y, j = [], 0
    for x in ts:
        v, j = interp(t, mag, x, j)
        y.append(v if v is not None else (y[-1] if y else G))
    m = sum(y) / len(y)
    sd = math.sqrt(sum((v - m) ** 2 for v in y) / len(y))
    srt = sorted(y)
    best, bf = 0.0, 0.0
    f = 0.5
    while f <= 4.0 + 1e-9:
        c = s = 0.0
        for k, v in enumerate(y):
            ph = 2 * math.pi * f * k / 100.0
            c += (v - m) * math.cos(ph)
            s += (v - m) * math.sin(ph)
        pw = c * c + s * s
        if pw > best:
            best, bf = pw, f
        f += 0.02
    amp = 2 * math.sqrt(best) / len(y)
    print(
        f"{os.path.basename(path):40s} |a| mean {m:5.2f} SD {sd:4.2f} 5-95% {srt[len(y)//20]:5.2f}.."
        f"{srt[len(y)*19//20]:5.2f} m/s^2  dominant {bf:4.2f} Hz (amplitude {amp:4.2f} m/s^2)"
    )


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    if argv[0] == "--pocket":
        for p in argv[1:]:
            pocket(p)
        return 0
    per_file = "--per-file" in argv
    table = "--table" in argv
    files = [a for a in argv if not a.startswith("--")]
    tot = [0.0] * len(BINS)
    ntot = 0
    for path in files:
        p, n = profile(path)
        if p is None:
            continue
        if per_file:
            print(fmt(os.path.basename(path), n, features(p)))
        for k in range(len(BINS)):
            tot[k] += p[k] * n
        ntot += n
    if not ntot:
        print("no contacts")
        return 1
    mean = [v / ntot for v in tot]
    print(fmt(f"ALL ({len(files)} files)", ntot, features(mean)))
    if table:
        for b, v in zip(BINS, mean):
            print(f"{b:+.2f} {v:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
