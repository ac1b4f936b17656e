#!/usr/bin/env python3
"""Where the cadence error per reference walking bout comes from (plain python, no numpy).

Usage:
  trunk_bouts.py [--bin build/backstep] [--min-err PCT] RECORDING [RECORDING ...]

Each RECORDING needs NAME.truth.json next to it with `bouts` (cadence_spm per bout; mobgap).
The recording is analysed with `backstep analyze --format json --placement lower-back` and,
per reference bout, the cadence of the detected contacts is computed by the rule of `backstep
validate` (cli/cmd_validate.c stride_cadence_of: contacts within 0.05 s of the bout, the mean of
120 / (x[i+2] - x[i]) without strides under half the lower median stride). Printed per bout: the
reference cadence, the error of the detected contacts and of the reference's own contacts by
the same rule. For bouts whose error is at least --min-err (default 3 %), every extra detection
(no reference contact within 100 ms) and every missed reference contact (no detection within
100 ms) is listed with the bout's error if only that one contact were fixed (removed / added),
so the contacts that carry the error stand out. Nothing is written; do not copy the output into
the repository (it holds reference times).
"""
import json
import subprocess
import sys

MATCH_S = 0.100
EDGE_S = 0.05


def stride_cadence(x, lo, hi):
    x = sorted(v for v in x if lo <= v <= hi)
    sd = [x[k] - x[k - 2] for k in range(2, len(x))]
    if not sd:
        return float("nan")
    med = sorted(sd)[(len(sd) - 1) // 2]
    v = [120.0 / s for s in sd if s >= 0.5 * med and s > 0.0]
    return sum(v) / len(v) if v else float("nan")


def main(argv):
    binary, min_err, files = "build/backstep", 3.0, []
    i = 0
    while i < len(argv):
        if argv[i] == "--bin":
            binary = argv[i + 1]
            i += 1
        elif argv[i] == "--min-err":
            min_err = float(argv[i + 1])
            i += 1
        else:
            files.append(argv[i])
        i += 1
    if not files:
        print(__doc__)
        return 2
    tot, n = 0.0, 0
    for path in files:
        truth = json.load(open(path[: path.rfind(".")] + ".truth.json"))
        bouts = truth.get("bouts", [])
        if not bouts:
            continue
        out = subprocess.run([binary, "analyze", path, "--format", "json", "--placement",
                              "lower-back", "--no-store"], capture_output=True, text=True,
                             check=True).stdout
        det = [s["ic_s"] for s in json.loads(out)["steps"]]
        ref = truth.get("initial_contacts_s", [])
        for b in bouts:
            lo, hi, rc = b["start_s"] - EDGE_S, b["end_s"] + EDGE_S, b.get("cadence_spm")
            inside = [x for x in det if lo <= x <= hi]
            if not rc or len(inside) < 3:
                continue
            err = 100.0 * (stride_cadence(det, lo, hi) - rc) / rc
            own = 100.0 * (stride_cadence(ref, lo, hi) - rc) / rc
            tot += abs(err)
            n += 1
            print(f"{path.split('/')[-1]:28s} bout {b['start_s']:7.2f}-{b['end_s']:7.2f} s  "
                  f"ref {rc:6.1f} steps/min  detected {err:+6.1f} %  reference's own {own:+6.1f} %")
            if abs(err) < min_err:
                continue
            for d in inside:
                near = min(ref, key=lambda r: abs(r - d)) if ref else None
                if near is None or abs(near - d) > MATCH_S:
                    e = 100.0 * (stride_cadence([x for x in det if x != d], lo, hi) - rc) / rc
                    where = f" (nearest reference {d - near:+.2f} s)" if near is not None else ""
                    print(f"     extra  {d:8.2f}{where}: without it {e:+6.1f} %")
            for r in [x for x in ref if lo <= x <= hi]:
                if not det or min(abs(d - r) for d in det) > MATCH_S:
                    e = 100.0 * (stride_cadence(det + [r], lo, hi) - rc) / rc
                    print(f"     missed {r:8.2f}: with it {e:+6.1f} %")
    if n:
        print(f"{n} bouts, mean cadence error {tot / n:.2f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
