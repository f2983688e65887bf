#!/usr/bin/env python3
"""Scaling benchmark: does pchart's cost grow linearly with its input?

Renders the embedded Perses chart with values files of 1x, 4x and 16x a base
size, for several shapes of input, and prints a Markdown table of wall time,
CPU time (user + system) and peak memory (max RSS) per run, with the ratio of
each size's CPU time to the 1x run's. Linear cost shows as ratios near 4 and
16; a quadratic path shows as ratios near 16 and 256.

Shapes (16x is ~12 MB of values for the first two):
  annotations   podAnnotations with N entries (parsed, coalesced, validated
                against the schema, rendered through toYaml, re-parsed for
                sorting, printed)
  labels-refused
                podLabels with N entries: the schema refuses the key, so the
                run stops after parsing and validation (exit 2)
  env-list      envVars, a list of N/4 {name, value} items (schema `items`,
                range, output)
  extra-objects extraObjects, N/8 ConfigMaps, each run through tpl (many
                documents to split, sort and print)

Usage:
    python3 scripts/bench-scaling.py [--binary PATH] [--base N] [--runs R]

Build the release binary first (`cargo build --release`). Each cell is the
best of R runs (default 3): the machine may be shared.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def default_binary() -> Path:
    for p in sorted(ROOT.glob("target/*/release/pchart")) + [ROOT / "target/release/pchart"]:
        if p.is_file():
            return p
    sys.exit("no release binary: run `cargo build --release` first")


def annotations(n: int) -> str:
    lines = ["podAnnotations:"]
    lines += [f'  example.com/key-{i:07d}: "value-{i:07d}-abcdefghijklmnop"' for i in range(n)]
    return "\n".join(lines) + "\n"


def labels(n: int) -> str:
    lines = ["podLabels:"]
    lines += [f'  example.com/key-{i:07d}: "value-{i:07d}-abcdefghijklmnop"' for i in range(n)]
    return "\n".join(lines) + "\n"


def env_list(n: int) -> str:
    lines = ["envVars:"]
    for i in range(n // 4):
        lines.append(f"  - name: VAR_{i:07d}")
        lines.append(f'    value: "value-{i:07d}-abcdefghijklmnop"')
    return "\n".join(lines) + "\n"


def extra_objects(n: int) -> str:
    lines = ["extraObjects:"]
    for i in range(n // 8):
        lines += [
            "  - apiVersion: v1",
            "    kind: ConfigMap",
            "    metadata:",
            f"      name: '{{{{ include \"perses.fullname\" . }}}}-extra-{i:06d}'",
            "    data:",
            f"      key: value-{i:07d}",
        ]
    return "\n".join(lines) + "\n"


SHAPES = {
    "annotations": (annotations, 0),
    "labels-refused": (labels, 2),
    "env-list": (env_list, 0),
    "extra-objects": (extra_objects, 0),
}


def run_once(binary: Path, values: Path, want_rc: int) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and max RSS (KiB) of one `pchart render`."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(binary), "render", "-f", str(values)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    rc = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if rc != want_rc:
        sys.exit(f"{values.name}: exit {rc}, expected {want_rc}\n{err[:2000]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", type=Path, default=None)
    ap.add_argument("--base", type=int, default=12_500, help="entries at 1x (default 12,500: 16x is 200,000)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shape", action="append", choices=sorted(SHAPES), help="only these shapes")
    args = ap.parse_args()
    binary = args.binary or default_binary()
    shapes = args.shape or list(SHAPES)

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"binary: {binary}\n")
    print("| input | scale | entries | values file | wall | CPU | CPU / 1x | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for shape in shapes:
            make, want_rc = SHAPES[shape]
            base_cpu = None
            for scale in (1, 4, 16):
                n = args.base * scale
                path = Path(tmp) / f"{shape}-{scale}x.yaml"
                path.write_text(make(n))
                best = None
                for _ in range(args.runs):
                    r = run_once(binary, path, want_rc)
                    if best is None or r[1] < best[1]:
                        best = r
                wall, cpu, rss = best
                if base_cpu is None:
                    base_cpu = cpu
                size = path.stat().st_size
                print(
                    f"| {shape} | {scale}x | {n:,} | {size / 1e6:.1f} MB | {wall:.2f} s | {cpu:.2f} s "
                    f"| {cpu / base_cpu:.1f} | {rss / 1024:.0f} MiB |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
