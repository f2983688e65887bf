#!/usr/bin/env python3
"""Render the same charts with real Helm (in-process, helm-python-sdk) and
with pchart (a whole `pchart render` process, release build), and print the
times and the ratio.

Usage: python3 scripts/bench-vs-helm.py [--runs N] [CHART_DIR ...]
Defaults to every chart in tests/charts that renders without error, plus the
embedded Perses chart when charts/perses exists. Build first:
`cargo build --release`.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import helm_python

ROOT = Path(__file__).resolve().parent.parent
PCHART = ROOT / "target" / "release" / "pchart"


def helm_render(chart: str) -> None:
    # The engine only (Chart.load + render), as Helm runs it in-process.
    helm_python.Chart.load(chart).render({}, name="release-name", namespace="default", is_install=True)


def helm_template(chart: str) -> None:
    # The whole install action in client dry-run mode: what `helm template` runs.
    helm_python.Config(storage_driver="memory").install(chart, "release-name", {}, namespace="default", dry_run="client")


def pchart_render(chart: str | None) -> None:
    args = [str(PCHART), "render"] + ([chart] if chart else [])
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(fn, runs: int) -> float:
    fn()  # warm up
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("charts", nargs="*")
    a = ap.parse_args()
    if not PCHART.exists():
        print("build first: cargo build --release", file=sys.stderr)
        return 2
    charts = a.charts or [
        str(p) for p in sorted((ROOT / "tests" / "charts").iterdir())
        if p.is_dir() and subprocess.run([str(PCHART), "render", str(p)], capture_output=True).returncode == 0
    ]
    rows = []
    if (ROOT / "charts" / "perses" / "Chart.yaml").exists():
        charts = [str(ROOT / "charts" / "perses")] + charts
    print(f"{'chart':<24} {'helm engine':>12} {'helm template':>14} {'pchart process':>15} {'ratio':>7}")
    for c in charts:
        he = timed(lambda: helm_render(c), a.runs)
        ht = timed(lambda: helm_template(c), a.runs)
        pc = timed(lambda: pchart_render(c), a.runs)
        rows.append((Path(c).name, he, ht, pc))
        print(f"{Path(c).name:<24} {he:>10.2f}ms {ht:>12.2f}ms {pc:>13.2f}ms {ht / pc:>6.1f}x")
    if (ROOT / "charts" / "perses" / "Chart.yaml").exists():
        emb = timed(lambda: pchart_render(None), a.runs)
        print(f"embedded perses chart, whole `pchart render` process: {emb:.2f} ms (median of {a.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
