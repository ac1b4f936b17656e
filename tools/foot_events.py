#!/usr/bin/env python3
"""Per-file foot contact matching: which reference contacts were missed and which detections are
extra, with the truth segment each falls in (to understand errors before changing the engine).

Usage: foot_events.py [--bin build/backstep] [--summary] TRUTH.json...
Runs `backstep analyze --format json --placement <truth placement>` on each truth file's recording,
matches initial contacts one-to-one within 100 ms (as `backstep validate`), prints per file:
misses (reference contacts without a detection), extras (detections without a reference), the
segment they fall in and the detected stride's fields. Reads the data, writes nothing; prints only
times and counts (nothing from the recordings is stored).
"""
import json, os, subprocess, sys

MATCH = 0.100


def seg_of(segs, t):
    for s in segs:
        if s['start_s'] <= t < s['end_s']:
            return s['activity']
    return '-'


def scored(tr, t):
    for a, b in tr.get('events_missing_in_s', []):
        if a <= t <= b:
            return False
    if 'event_window_s' in tr:
        w = tr['event_window_s']
        return w[0] <= t <= w[1]
    segs = tr.get('segments', [])
    if segs:
        return any(s['start_s'] - 0.5 <= t <= s['end_s'] + 0.5 for s in segs)
    return True


def match(ref, det):
    pairs = sorted((abs(d - r), i, j) for i, r in enumerate(ref) for j, d in enumerate(det)
                   if abs(d - r) <= MATCH)
    ru, du, m = set(), set(), {}
    for dt, i, j in pairs:
        if i in ru or j in du:
            continue
        ru.add(i); du.add(j); m[i] = j
    return m


def main():
    args = sys.argv[1:]
    binp = 'build/backstep'
    summary = False
    if '--bin' in args:
        k = args.index('--bin'); binp = args[k + 1]; del args[k:k + 2]
    if '--summary' in args:
        args.remove('--summary'); summary = True
    tot = [0, 0, 0]
    for tp in args:
        tr = json.load(open(tp))
        rec = os.path.join(os.path.dirname(tp), tr['recording'])
        out = subprocess.run([binp, 'analyze', '--no-store', '--format', 'json', '--placement', tr['placement'],
                              rec], capture_output=True, text=True)
        if out.returncode != 0:
            print(tp, 'analyze failed', out.stderr.strip()); continue
        an = json.loads(out.stdout)
        steps = [s for s in an['steps'] if scored(tr, s['ic_s'])]
        det = [s['ic_s'] for s in steps]
        ref = [t for t in tr.get('initial_contacts_s', []) if scored(tr, t)]
        m = match(ref, det)
        segs = tr.get('segments', [])
        miss = [i for i in range(len(ref)) if i not in m]
        matched = set(m.values())
        extra = [j for j in range(len(det)) if j not in matched]
        tot[0] += len(ref); tot[1] += len(det); tot[2] += len(m)
        dts = [det[m[i]] - ref[i] for i in m]
        mean_dt = sum(dts) / len(dts) if dts else float('nan')
        if summary:
            print('%-28s ref %3d det %3d tp %3d miss %2d extra %2d  mean dt %+6.1f ms' %
                  (os.path.basename(tp), len(ref), len(det), len(m), len(miss), len(extra),
                   1000 * mean_dt))
            continue
        if not miss and not extra:
            continue
        print('== %s ref %d det %d tp %d (first ref %.2f, first det %s)' %
              (os.path.basename(tp), len(ref), len(det), len(m), ref[0] if ref else -1,
               '%.2f' % det[0] if det else '-'))
        for i in miss:
            near = min(det, key=lambda d: abs(d - ref[i])) if det else None
            print('  MISS  %7.2f  %-10s nearest det %s (idx %d of %d)' %
                  (ref[i], seg_of(segs, ref[i]),
                   '%+.3f' % (near - ref[i]) if near is not None else '-', i, len(ref)))
        for j in extra:
            s = steps[j]
            near = min(ref, key=lambda r: abs(r - det[j])) if ref else None
            print('  EXTRA %7.2f  %-10s nearest ref %s dir %s strike %s len %s T %s' %
                  (det[j], seg_of(segs, det[j]),
                   '%+.3f' % (det[j] - near) if near is not None else '-', s['direction'],
                   s['strike'], s['stride_length_m'], s['stride_time_s']))
    p = tot[2] / tot[1] if tot[1] else 0
    r = tot[2] / tot[0] if tot[0] else 0
    print('total ref %d det %d tp %d  P %.3f R %.3f F1 %.3f' %
          (tot[0], tot[1], tot[2], p, r, 2 * tot[2] / (tot[0] + tot[1]) if tot[0] + tot[1] else 0))


if __name__ == '__main__':
    main()
