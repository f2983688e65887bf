#!/usr/bin/env python3
"""Corpus minimization by edge coverage (afl-cmin's greedy rule, by edges
rather than edge+hit-count, so the corpus stays small for short CI runs).

    python3 fuzz/cmin.py MAPDIR INDIR OUTDIR

MAPDIR holds one `afl-showmap -i INDIR -o MAPDIR` trace per input (lines
`edge:count`). For every edge the smallest input that reaches it is kept.
"""

import os
import shutil
import sys


def main():
    maps, indir, outdir = sys.argv[1:4]
    names = [n for n in os.listdir(maps) if os.path.isfile(os.path.join(indir, n))]
    names.sort(key=lambda n: (os.path.getsize(os.path.join(indir, n)), n))
    best = {}
    for n in names:
        with open(os.path.join(maps, n)) as f:
            for line in f:
                edge = line.split(":", 1)[0]
                best.setdefault(edge, n)
    keep = sorted(set(best.values()))
    os.makedirs(outdir, exist_ok=True)
    for n in keep:
        shutil.copyfile(os.path.join(indir, n), os.path.join(outdir, n))
    print(f"{len(keep)} of {len(names)} inputs cover {len(best)} edges")


if __name__ == "__main__":
    main()
