#!/usr/bin/env python3
"""What gaitmap's motion-capture initial contacts mean, against the heel marker and our contacts
(docs/algorithms.md 2.5). Reads ../shared/data/gaitmap-foot (never copied), runs
`backstep analyze`, prints only statistics.

Usage: gaitmap_heel.py [--bin build/backstep] [DATA_DIR]   (default ../shared/data/gaitmap-foot)

1. Clock check: lag of the IMU's sagittal rate (gyr_y) against the foot pitch rate of the mocap
   heel->toe marker vector, by cross-correlation (-60..+60 ms).
2. Per mocap IC: the heel marker's vertical arrest (largest increase of its vertical velocity
   after its fastest descent, 100 Hz, centred differences), and its offset from the mocap IC and
   from our detected contact.
3. Is there a first-contact impact before ours? The largest accelerometer jerk |da|/dt from the
   mocap IC to two samples before our contact, against the jerk at our contact (+-2 samples).
"""
import csv, json, math, os, statistics, subprocess, sys


def main():
    args = sys.argv[1:]
    binp = 'build/backstep'
    if '--bin' in args:
        k = args.index('--bin'); binp = args[k + 1]; del args[k:k + 2]
    d = args[0] if args else '../shared/data/gaitmap-foot'
    rows = list(csv.reader(open(os.path.join(d, 'original', 'mocap_sample.csv'))))[2:]
    M = [[float(x) for x in r[1:]] for r in rows]
    # columns: L_TOE 0-2, R_TOE 3-5, L_FCC 6-8, R_FCC 9-11
    ev = list(csv.DictReader(open(os.path.join(d, 'original', 'stride_events_sample.csv'))))
    ours, theirs, pre_j, ratio = [], [], [], []
    for foot, fcc, toe in (('left', 6, 0), ('right', 9, 3)):
        rec = os.path.join(d, 'gaitmap_healthy_%s.csv' % foot)
        gy, acc = [], []
        with open(rec) as f:
            f.readline()
            for line in f:
                p = line.split(',')
                gy.append(float(p[5]))
                acc.append([float(p[1]), float(p[2]), float(p[3])])
        jerk = [0.0] + [math.dist(acc[i], acc[i - 1]) * 204.8 for i in range(1, len(acc))]
        pitch = [math.degrees(math.atan2(r[toe + 2] - r[fcc + 2],
                                         math.hypot(r[toe] - r[fcc], r[toe + 1] - r[fcc + 1])))
                 for r in M]
        rate = [(pitch[i + 1] - pitch[i - 1]) * 50 for i in range(1, len(pitch) - 1)]

        def gyr_at(t):
            x = t * 204.8
            i = int(x)
            if i < 0 or i + 1 >= len(gy):
                return None
            return gy[i] + (gy[i + 1] - gy[i]) * (x - i)
        best = None
        for lag in range(-60, 61, 2):
            sxy = sxx = syy = 0.0
            for k, rv in enumerate(rate):
                t = (k + 1) / 100 + lag / 1000
                g = gyr_at(t)
                if g is None or t < 2 or t > 34:
                    continue
                g = -g  # gaitmap frame: dorsiflexion is negative gyr_y
                sxy += rv * g; sxx += rv * rv; syy += g * g
            c = sxy / math.sqrt(sxx * syy)
            if best is None or c > best[1]:
                best = (lag, c)
        print('%s: IMU lags the mocap pitch rate by %+d ms (correlation %.3f)' % (foot, best[0], best[1]))
        out = subprocess.run([binp, 'analyze', '--no-store', '--format', 'json', '--placement',
                              'foot-' + foot, rec], capture_output=True, text=True)
        det = [s['ic_s'] for s in json.loads(out.stdout)['steps']]
        for e in ev:
            if e['foot'] != foot:
                continue
            t = float(e['ic']) / 204.8
            k = int(round(t * 100))
            dd = min(det, key=lambda x: abs(x - t)) if det else None
            if dd is None or abs(dd - t) > 0.1:
                continue
            vz = [(M[i + 1][fcc + 2] - M[i - 1][fcc + 2]) * 50 for i in range(k - 3, k + 8)]
            im = min(range(len(vz)), key=lambda i: vz[i])
            ia = max(range(im, len(vz) - 1), key=lambda i: vz[i + 1] - vz[i])
            t_arr = (k - 3 + ia + 0.5) / 100
            ours.append(1000 * (dd - t_arr))
            theirs.append(1000 * (t - t_arr))
            i0, i1 = int(round(t * 204.8)), int(round(dd * 204.8))
            if i1 - 2 > i0 - 1:
                p, q = max(jerk[i0 - 1:i1 - 1]), max(jerk[i1 - 1:i1 + 3])
                pre_j.append(p)
                ratio.append(p / q)
    for name, v in (('mocap IC', theirs), ('our IC', ours)):
        print('%-9s - heel vertical arrest: median %+.0f ms, mean %+.1f ms, SD %.1f ms (%d contacts)'
              % (name, statistics.median(v), statistics.mean(v), statistics.pstdev(v), len(v)))
    if ratio:
        print('jerk from the mocap IC to just before our IC: median %.0f, max %.0f m/s^3, at most '
              '%.0f %% (median %.0f %%) of the jerk at our IC (%d contacts)'
              % (statistics.median(pre_j), max(pre_j), 100 * max(ratio), 100 * statistics.median(ratio),
                 len(ratio)))


if __name__ == '__main__':
    main()
