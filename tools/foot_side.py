#!/usr/bin/env python3
"""Left or right foot learned from the data: runs `backstep analyze --placement foot` on each
truth file's recording and compares the foot of its last step with the truth's placement.

Usage: foot_side.py [--bin build/backstep] TRUTH.json...   Prints counts only.
"""
import collections, json, os, subprocess, sys


def main():
    args = sys.argv[1:]
    binp = 'build/backstep'
    if '--bin' in args:
        k = args.index('--bin'); binp = args[k + 1]; del args[k:k + 2]
    c = collections.Counter()
    for tp in args:
        tr = json.load(open(tp))
        if not tr.get('placement', '').startswith('foot-'):
            continue
        rec = os.path.join(os.path.dirname(tp), tr['recording'])
        out = subprocess.run([binp, 'analyze', '--no-store', '--format', 'json', '--placement',
                              'foot', rec], capture_output=True, text=True)
        feet = [s['foot'] for s in json.loads(out.stdout)['steps'] if s['foot']]
        c[(tr['placement'][5:], feet[-1] if feet else 'undecided')] += 1
    decided = sum(v for (w, g), v in c.items() if g != 'undecided')
    right = sum(v for (w, g), v in c.items() if g == w)
    print(dict(c))
    print('files %d, decided %d, correct %d (%.0f %% of decided)' %
          (sum(c.values()), decided, right, 100.0 * right / decided if decided else 0.0))


if __name__ == '__main__':
    main()
