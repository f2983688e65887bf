#!/usr/bin/env python3
"""Render the same charts with real Helm (in-process, helm-python-sdk) and
with pchart, and print the times and the ratios:

- in-process against in-process: Helm's engine (Chart.load + render) per
  chart against pchart's load + render + print (`cargo bench --bench
  render`, criterion medians; skipped with --no-criterion);
- the engine alone on a chart already loaded: Helm's `render` on a chart
  from one `Chart.load` against pchart's render + print of a chart in
  memory (criterion's "render" bench);
- the floor under both: just reading the chart's files (criterion's "read
  files" bench), and Helm's time over it, the ceiling on any ratio for a
  renderer that loads the chart from disk;
- Helm's whole `template` install action against a whole `pchart render`
  process (process start included for pchart only), timed with
  `hyperfine -N` when it is installed: spawning from this Python process
  (which holds Helm's Go runtime) adds 1.5 to 2 ms per run, and that is
  what the fallback measures.

Usage: python3 scripts/bench-vs-helm.py [--runs N] [--no-criterion] [CHART_DIR ...]
Defaults to every chart in tests/charts that renders without error, plus the
embedded Perses chart when charts/perses exists. Build first:
`cargo build --release`.
"""
from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import tempfile
import statistics
import subprocess
import sys
import time
from pathlib import Path

import helm_python

ROOT = Path(__file__).resolve().parent.parent
# .cargo/config.toml builds for the host tuple, so the binary is under
# target/<host>/release; target/release is an older plain build.
_BUILT = sorted(
    (p for p in [*ROOT.glob("target/*/release/pchart"), ROOT / "target/release/pchart"] if p.exists()),
    key=lambda p: p.stat().st_mtime,
)
PCHART = _BUILT[-1] if _BUILT else ROOT / "target" / "release" / "pchart"


def helm_render(chart: str) -> None:
    # The engine only (Chart.load + render), as Helm runs it in-process.
    helm_python.Chart.load(chart).render({}, name="release-name", namespace="default", is_install=True)


def helm_render_loaded(loaded) -> None:
    # The engine alone on a chart loaded once (Go structs kept in Helm).
    loaded.render({}, name="release-name", namespace="default", is_install=True)


def helm_template(chart: str) -> None:
    # The whole install action in client dry-run mode: what `helm template` runs.
    helm_python.Config(storage_driver="memory").install(chart, "release-name", {}, namespace="default", dry_run="client")


def pchart_process(chart: str | None, runs: int) -> float:
    """Median ms of a whole `pchart render` process."""
    args = [str(PCHART), "render"] + ([chart] if chart else [])
    if shutil.which("hyperfine"):
        with tempfile.TemporaryDirectory() as d:
            out = Path(d) / "h.json"
            subprocess.run(
                ["hyperfine", "-N", "--warmup", "3", "--runs", str(runs),
                 "--export-json", str(out), shlex.join(args)],
                check=True, capture_output=True,
            )
            times = json.loads(out.read_text())["results"][0]["times"]
        return statistics.median(times) * 1000
    return timed(
        lambda: subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        runs,
    )


def timed(fn, runs: int) -> float:
    fn()  # warm up
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1000


def criterion_medians() -> dict[str, dict[str, float]]:
    """Criterion medians (ms) per benchmark kind ("load+render", "render",
    "read files") and chart."""
    r = subprocess.run(
        ["cargo", "bench", "--quiet", "--bench", "render", "--",
         "^(load\\+render|render|read files) ", "--noplot"],
        cwd=ROOT, capture_output=True, text=True,
    )
    units = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}
    out: dict[str, dict[str, float]] = {"load+render": {}, "render": {}, "read files": {}}
    # "load+render umbrella   time:   [1.0 ms 1.1 ms 1.2 ms]": the middle one.
    for m in re.finditer(
        r"(load\+render|render|read files) (\S+)\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", r.stdout
    ):
        out[m.group(1)][m.group(2)] = float(m.group(3)) * units.get(m.group(4), float("nan"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--no-criterion", action="store_true")
    ap.add_argument("charts", nargs="*")
    a = ap.parse_args()
    if not PCHART.exists():
        print("build first: cargo build --release", file=sys.stderr)
        return 2
    charts = a.charts or [
        str(p) for p in sorted((ROOT / "tests" / "charts").iterdir())
        if p.is_dir() and subprocess.run([str(PCHART), "render", str(p)], capture_output=True).returncode == 0
    ]
    if (ROOT / "charts" / "perses" / "Chart.yaml").exists():
        charts = [str(ROOT / "charts" / "perses")] + charts
    crit = (
        {"load+render": {}, "render": {}, "read files": {}} if a.no_criterion else criterion_medians()
    )
    inproc, engine, floor = crit["load+render"], crit["render"], crit["read files"]
    # "read files" is the floor under any loader: reading the chart's files
    # and nothing else. Helm's time over it is the best ratio any renderer
    # that reads the chart from disk could reach here.
    print(f"{'chart':<16} {'helm engine':>12} {'pchart in-proc':>15} {'ratio':>7}"
          f" {'read files':>11} {'ceiling':>8}"
          f" {'helm loaded':>12} {'pchart loaded':>14} {'ratio':>7}"
          f" {'helm template':>14} {'pchart process':>15} {'ratio':>7}")
    for c in charts:
        name = Path(c).name
        he = timed(lambda: helm_render(c), a.runs)
        loaded = helm_python.Chart.load(c)
        hl = timed(lambda: helm_render_loaded(loaded), a.runs)
        ht = timed(lambda: helm_template(c), a.runs)
        pc = pchart_process(c, a.runs)
        pi = inproc.get(name)
        pf = floor.get(name)
        pl = engine.get(name)
        pis = f"{pi:>13.3f}ms {he / pi:>6.1f}x" if pi else f"{'-':>15} {'-':>7}"
        pfs = f"{pf:>9.3f}ms {he / pf:>7.1f}x" if pf else f"{'-':>11} {'-':>8}"
        pls = f"{pl:>12.3f}ms {hl / pl:>6.1f}x" if pl else f"{'-':>14} {'-':>7}"
        print(f"{name:<16} {he:>10.2f}ms {pis} {pfs} {hl:>10.2f}ms {pls}"
              f" {ht:>12.2f}ms {pc:>13.2f}ms {ht / pc:>6.1f}x")
    if (ROOT / "charts" / "perses" / "Chart.yaml").exists():
        emb = pchart_process(None, a.runs)
        timer = "hyperfine -N" if shutil.which("hyperfine") else "Python subprocess"
        print(f"embedded perses chart, whole `pchart render` process: {emb:.2f} ms (median of {a.runs}, {timer})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
