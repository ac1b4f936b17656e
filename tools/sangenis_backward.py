#!/usr/bin/env python3
"""Which strides make the 15.24 m walked backward in the sangenis course (docs/validation.md)?

The course is one straight line (walk, jog, run, sprint, 180 deg turn, backward 2 x 7.62 m in the
same direction of travel, 90 deg turn, side-step left, 180 deg turn, side-step right), so the turns
carry part of the distance: the data's notes say Subject I's backward part starts during the turn.
For each file this prints the distance of the strides whose contact lies in the backward segments
(what `backstep validate` scores), and what the turning strides of the turn segments just before and
after add along the backward walking direction (the heading at the end of the turn before, at the
start of the turn after: stride vector and turn angle of each stride), with the error against
15.24 m for: backward segments only, plus the turn before, plus both turns.

With --segments it also prints, per backward segment (walk-backward-slow / -fast / walk-backward),
its duration, the strides whose contact lies in it, their first / middle / last lengths and mean
stride time, and the mean stride length the nominal distance would need with that many strides:
whether a short segment has short strides or too few of them (docs/validation.md, "sangenis
backward-fast per segment").

Usage: sangenis_backward.py [--bin build/backstep] [--segments] TRUTH.json...
Prints only distances and times.
"""
import json, math, os, subprocess, sys


def main():
    args = sys.argv[1:]
    binp = 'build/backstep'
    if '--bin' in args:
        k = args.index('--bin'); binp = args[k + 1]; del args[k:k + 2]
    per_segment = '--segments' in args
    if per_segment:
        args.remove('--segments')
    errs = [[], [], []]
    for tp in args:
        tr = json.load(open(tp))
        segs = tr['segments']
        bi = [i for i, s in enumerate(segs) if s['activity'].startswith('walk-backward')]
        if not bi:
            continue
        truth = sum(segs[i].get('distance_m', 0.0) for i in bi)
        rec = os.path.join(os.path.dirname(tp), tr['recording'])
        out = subprocess.run([binp, 'analyze', '--no-store', '--format', 'json', '--placement',
                              tr['placement'], rec], capture_output=True, text=True)
        steps = [s for s in json.loads(out.stdout)['steps'] if s['stride_length_m'] is not None]
        a0, a1 = segs[bi[0]]['start_s'], segs[bi[-1]]['end_s']
        inside = sum(s['stride_length_m'] for s in steps if a0 <= s['ic_s'] < a1)

        def backward_along(s, end):
            # stride vector (bisector frame) onto the heading at the end (+turn/2) or start (-turn/2)
            f, l = s['stride_vector_m']
            h = math.radians(s['turn_deg']) / 2
            return max(0.0, -(f * math.cos(h) + (l if end else -l) * math.sin(h)))

        def turn_part(seg, end):
            if seg['activity'] != 'turn':
                return 0.0
            return sum(backward_along(s, end) for s in steps if seg['start_s'] <= s['ic_s'] < seg['end_s'])
        before = turn_part(segs[bi[0] - 1], True) if bi[0] > 0 else 0.0
        after = turn_part(segs[bi[-1] + 1], False) if bi[-1] + 1 < len(segs) else 0.0
        e = [inside / truth - 1, (inside + before) / truth - 1, (inside + before + after) / truth - 1]
        for k in range(3):
            errs[k].append(abs(e[k]))
        print('%-22s backward segments %5.2f m, turn before +%4.2f, turn after +%4.2f: '
              'error %+5.1f %% / %+5.1f %% / %+5.1f %%' %
              (tr['recording'][:22], inside, before, after, 100 * e[0], 100 * e[1], 100 * e[2]))
        if per_segment:
            for i in bi:
                seg = segs[i]
                sl = [s for s in steps if seg['start_s'] <= s['ic_s'] < seg['end_s']]
                if not sl:
                    continue
                ln = [s['stride_length_m'] for s in sl]
                tt = [s['stride_time_s'] for s in sl if s['stride_time_s'] is not None]
                mid = ln[1:-1] or ln
                print('    %-19s %5.2f s, %2d strides %5.2f m (first %.2f, middle %.2f, last %.2f; '
                      '%.2f s each): %+5.1f %%, the %.2f m would need %.2f m strides' %
                      (seg['activity'], seg['end_s'] - seg['start_s'], len(ln), sum(ln), ln[0],
                       sum(mid) / len(mid), ln[-1], sum(tt) / len(tt) if tt else float('nan'),
                       100 * (sum(ln) / seg['distance_m'] - 1), seg['distance_m'],
                       seg['distance_m'] / len(ln)))
    for k, name in enumerate(('backward segments', 'plus the turn before', 'plus both turns')):
        if errs[k]:
            print('%-21s mean |error| %4.1f %%, worst %4.1f %%' %
                  (name, 100 * sum(errs[k]) / len(errs[k]), 100 * max(errs[k])))


if __name__ == '__main__':
    main()
