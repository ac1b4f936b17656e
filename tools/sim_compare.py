#!/usr/bin/env python3
"""Per-stride foot-IMU statistics, to compare simulated strides with real ones (docs/simulation.md).

Usage: sim_compare.py CSV TRUTH ACTIVITY [--flip-y]
  ACTIVITY  segment activity names to keep, comma separated (e.g. walk or walk-backward-slow)
  --flip-y  the file's y axis points right and z down (sangenis): negate gyr_y to get y-left

Per stride (mid foot-flat to next mid foot-flat, found from |gyro| < 50 deg/s for >= 120 ms):
stride time, foot-flat time, peak positive and negative sagittal rate (gyr_y, y to the left,
positive = toes-down rotation), impact peak |a| (g) in the 150 ms before foot-flat.
With contact truth (initial/final contacts) the stance time IC->FC is also reported.
Prints medians. Plain python, no numpy. Reads the data, writes nothing.
"""
import csv, json, math, statistics, sys


def load(path, flip_y):
    with open(path) as f:
        r = csv.reader(f)
        hdr = next(r)
        acc_g = '(g)' in hdr[1]
        gyr_rad = '(rad/s)' in hdr[4]
        t, a, w = [], [], []
        for row in r:
            v = [float(x) for x in row[:7]]
            k = 9.80665 if acc_g else 1.0
            q = 180 / math.pi if gyr_rad else 1.0
            t.append(v[0])
            a.append((v[1] * k, v[2] * k, v[3] * k))
            gy = v[5] * q
            w.append((v[4] * q, -gy if flip_y else gy, v[6] * q))
    t0 = t[0]
    return [x - t0 for x in t], a, w


def main():
    path, truth_path, acts = sys.argv[1], sys.argv[2], sys.argv[3].split(',')
    flip = '--flip-y' in sys.argv
    t, a, w = load(path, flip)
    truth = json.load(open(truth_path))
    segs = [(s['start_s'], s['end_s']) for s in truth['segments'] if s['activity'] in acts]
    n = len(t)
    dt = (t[-1] - t[0]) / (n - 1)
    win = max(1, int(round(0.03 / dt)))
    wn = [math.sqrt(x * x + y * y + z * z) for x, y, z in w]
    sm = []
    acc = 0.0
    for i in range(n):
        acc += wn[i]
        if i >= win:
            acc -= wn[i - win]
        sm.append(acc / min(i + 1, win))
    quiet = [s < 50.0 for s in sm]
    runs, i = [], 0
    while i < n:
        if quiet[i]:
            j = i
            while j < n and quiet[j]:
                j += 1
            if (j - i) * dt >= 0.12:
                runs.append((i, j))
            i = j
        else:
            i += 1

    def inside(tt):
        return any(s <= tt <= e for s, e in segs)

    ic = truth.get('initial_contacts_s', [])
    fc = truth.get('final_contacts_s', [])
    rows = []
    for (a0, a1), (b0, b1) in zip(runs, runs[1:]):
        m0, m1 = (a0 + a1) // 2, (b0 + b1) // 2
        if not (inside(t[m0]) and inside(t[m1])):
            continue
        T = t[m1] - t[m0]
        if T > 2.5 or T < 0.4:
            continue
        gy = [w[k][1] for k in range(m0, m1)]
        lo = max(0, b0 - int(0.15 / dt))
        imp = max(math.sqrt(sum(c * c for c in a[k])) for k in range(lo, b0 + 1)) / 9.80665
        stance = None
        ics = [x for x in ic if t[a1] < x <= t[b1]]
        if ics:
            fcs = [x for x in fc if x > ics[0]]
            if fcs:
                stance = fcs[0] - ics[0]
        rows.append((T, (b1 - b0) * dt, max(gy), min(gy), imp, stance))
    if not rows:
        print('no strides')
        return
    med = lambda k: statistics.median([r[k] for r in rows if r[k] is not None]) \
        if any(r[k] is not None for r in rows) else float('nan')
    print('strides %d  stride_time_s %.2f  foot_flat_s %.2f  stance_s %.2f  gyr_y_max_dps %.0f  '
          'gyr_y_min_dps %.0f  impact_g %.2f' % (len(rows), med(0), med(1), med(5), med(2), med(3),
                                                 med(4)))


main()
