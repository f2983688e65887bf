#!/usr/bin/env python3
"""Run a corpus built by build.py through real Helm and pchart.

Usage:
    python3 scripts/corpus/run.py helm   CORPUS [--runs N]          # Helm's output + in-process time
    python3 scripts/corpus/run.py pchart CORPUS PCHART [--runs N]   # pchart render per case (whole process)
    python3 scripts/corpus/run.py lint   CORPUS PCHART [--jobs N]   # pchart lint, default values, 1.33 and 1.36
    python3 scripts/corpus/run.py speed  CORPUS PCHART [--runs N]   # Helm and pchart timed side by side, alternating
    python3 scripts/corpus/run.py report CORPUS                     # compare, classify, speed table

Helm: `Config(storage_driver="memory").install(chart, "release-name", values,
namespace="default", dry_run="client")`, which is `helm template --no-hooks`
(the release manifest, hooks left out), timed in-process (load + render, the
median of N runs after one warm-up install). pchart: `pchart render CHART
[-f VALUES] --no-hooks`, compared with Helm's manifest as `helm template`
prints it (trimmed, one final line break); timed as a whole process (median
of N), next to the median of `pchart --version` (the cost of starting a
process). The Helm and pchart phases run in separate Python processes so
that the Go runtime Helm loads does not slow down spawning pchart.

Results go to CORPUS/helm.json, pchart.json, lint.json and report.json; a
phase skips the cases already in its file unless --fresh is given.
"""
from __future__ import annotations

import argparse
import base64
import binascii
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def load(p: Path, default):
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else default


def save(p: Path, data) -> None:
    # Atomic: a reader never sees half a file.
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=p.name + ".")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, p)


def merge_maps(a: dict, b: dict) -> dict:
    # Later documents override earlier ones, maps merge recursively.
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge_maps(out[k], v)
        else:
            out[k] = v
    return out


def helm_values(helm_python, path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    docs = re.split(r"(?m)^---[ \t]*(?:#.*)?$", text)
    vals: dict = {}
    for d in docs:
        if d.strip():
            vals = merge_maps(vals, helm_python.values_from_yaml(d) or {})
    return vals


def phase_helm(corpus: Path, runs: int, fresh: bool) -> None:
    import helm_python

    helm_python.disable_logging()
    cases = load(corpus / "cases.json", [])
    outp = corpus / "helm.json"
    done = {} if fresh else {r["id"]: r for r in load(outp, [])}

    def install(chart: str, values: dict):
        cfg = helm_python.Config(storage_driver="memory")
        return cfg.install(chart, "release-name", values, namespace="default", dry_run="client")

    if cases:  # warm up Helm's runtime before timing
        try:
            install(str(corpus / cases[0]["chart"]), {})
        except helm_python.HelmError:
            pass
    for i, c in enumerate(cases):
        if c["id"] in done:
            continue
        rec = {"id": c["id"]}
        try:
            values = helm_values(helm_python, corpus / c["values"]) if c["values"] else {}
        except helm_python.HelmError as e:
            rec["error"] = "values: " + str(e)
            values = None
        if values is not None:
            times, cpus, manifests = [], [], []
            for _ in range(max(runs, 2)):
                t, c0 = time.perf_counter(), cpu_self()
                try:
                    rel = install(str(corpus / c["chart"]), values)
                    manifests.append(rel.get("manifest", ""))
                    rec.pop("error", None)
                except helm_python.HelmError as e:
                    rec["error"] = str(e)
                times.append(time.perf_counter() - t)
                cpus.append(cpu_self() - c0)
            rec["ms"] = statistics.median(times) * 1000
            rec["cpu_ms"] = statistics.median(cpus) * 1000
            if manifests and "error" not in rec:
                rec["manifest"] = manifests[0]
                # Lines that differ between Helm's own runs come from
                # randomness (randAlphaNum, genCA, bcrypt, uuidv4, ...).
                first = expected(manifests[0]).splitlines()
                others = [expected(m).splitlines() for m in manifests[1:]]
                if any(len(o) != len(first) for o in others):
                    rec["random_shape"] = True
                rec["random_lines"] = sorted({i for o in others if len(o) == len(first)
                                              for i, (a, b) in enumerate(zip(first, o)) if a != b})
        done[c["id"]] = rec
        if i % 20 == 0:
            save(outp, list(done.values()))
            print(f"helm {i + 1}/{len(cases)}", file=sys.stderr)
    save(outp, list(done.values()))


def cpu_self() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


LAST_CPU = [0.0]


def run_timed(args: list[str], cwd: Path, timeout: float = 120):
    # Wall time, and CPU time (user + sys) in LAST_CPU[0]: the machine is
    # shared, and CPU time is what load does not inflate.
    t, c0 = time.perf_counter(), cpu_children()
    try:
        p = subprocess.run(args, cwd=cwd, capture_output=True, timeout=timeout)
        res = time.perf_counter() - t, p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        res = time.perf_counter() - t, -9, b"", b"timeout"
    LAST_CPU[0] = cpu_children() - c0
    return res


def phase_pchart(corpus: Path, pchart: str, runs: int, fresh: bool) -> None:
    cases = load(corpus / "cases.json", [])
    outp = corpus / "pchart.json"
    data = {} if fresh else load(outp, {})
    done = data.get("cases", {})
    vt, vc = [], []
    for _ in range(30):
        vt.append(run_timed([pchart, "--version"], corpus)[0])
        vc.append(LAST_CPU[0])
    data["version_ms"] = statistics.median(vt) * 1000
    data["version_cpu_ms"] = statistics.median(vc) * 1000
    data["binary"] = pchart
    data["version"] = run_timed([pchart, "--version"], corpus)[2].decode().strip()
    for i, c in enumerate(cases):
        if c["id"] in done:
            continue
        args = [pchart, "render", c["chart"], "--no-hooks"] + (["-f", c["values"]] if c["values"] else [])
        times, cpus, first = [], [], None
        for _ in range(runs):
            dt, rc, out, err = run_timed(args, corpus)
            times.append(dt)
            cpus.append(LAST_CPU[0])
            if first is None:
                first = (rc, out, err)
            if rc == -9:
                break
        rc, out, err = first
        done[c["id"]] = {"rc": rc, "stdout": out.decode("utf-8", "replace"),
                         "stderr": err.decode("utf-8", "replace"), "ms": statistics.median(times) * 1000,
                         "cpu_ms": statistics.median(cpus) * 1000}
        if i % 20 == 0:
            data["cases"] = done
            save(outp, data)
            print(f"pchart {i + 1}/{len(cases)}", file=sys.stderr)
    data["cases"] = done
    save(outp, data)


def phase_speed(corpus: Path, pchart: str, runs: int) -> None:
    """Helm and pchart timed side by side, case by case (alternating runs),
    so both see the same machine load; overrides the phases' times in report."""
    import helm_python

    helm_python.disable_logging()
    cases = load(corpus / "cases.json", [])
    out: dict = {"binary": pchart, "cases": {}}

    def helm_once(chart: str, values: dict):
        t, c0 = time.perf_counter(), cpu_self()
        try:
            helm_python.Config(storage_driver="memory").install(chart, "release-name", values, namespace="default",
                                                                dry_run="client")
        except helm_python.HelmError:
            pass
        return time.perf_counter() - t, cpu_self() - c0

    helm_once(str(corpus / cases[0]["chart"]), {}) if cases else None
    vt, vc = [], []
    for i, c in enumerate(cases):
        try:
            values = helm_values(helm_python, corpus / c["values"]) if c["values"] else {}
        except helm_python.HelmError:
            continue
        args = [pchart, "render", c["chart"], "--no-hooks"] + (["-f", c["values"]] if c["values"] else [])
        hw, hc, pw, pcpu = [], [], [], []
        for _ in range(runs):
            w, cp = helm_once(str(corpus / c["chart"]), values)
            hw.append(w)
            hc.append(cp)
            w = run_timed(args, corpus)[0]
            pw.append(w)
            pcpu.append(LAST_CPU[0])
            vt.append(run_timed([pchart, "--version"], corpus)[0])
            vc.append(LAST_CPU[0])
        out["cases"][c["id"]] = {"helm_ms": statistics.median(hw) * 1000, "helm_cpu_ms": statistics.median(hc) * 1000,
                                 "pchart_ms": statistics.median(pw) * 1000, "pchart_cpu_ms": statistics.median(pcpu) * 1000}
        if i % 20 == 0:
            print(f"speed {i + 1}/{len(cases)}", file=sys.stderr)
    out["version_ms"] = statistics.median(vt) * 1000 if vt else 0.0
    out["version_cpu_ms"] = statistics.median(vc) * 1000 if vc else 0.0
    save(corpus / "speed.json", out)


def phase_lint(corpus: Path, pchart: str, jobs: int, fresh: bool) -> None:
    charts = load(corpus / "charts.json", [])
    outp = corpus / "lint.json"
    done = {} if fresh else load(outp, {})
    todo = [(c["dir"], kv) for c in charts for kv in ("1.33", "1.36") if f"{c['dir']}@{kv}" not in done]

    def one(item):
        d, kv = item
        _, rc, out, err = run_timed([pchart, "lint", d, "--kube-version", kv, "--format", "json"], corpus, 300)
        try:
            parsed = json.loads(out)
        except ValueError:
            parsed = None
        return f"{d}@{kv}", {"rc": rc, "json": parsed, "stdout": "" if parsed is not None else out.decode("utf-8", "replace"),
                             "stderr": err.decode("utf-8", "replace")}

    with ThreadPoolExecutor(jobs) as ex:
        for n, (k, v) in enumerate(ex.map(one, todo)):
            done[k] = v
            if n % 20 == 0:
                save(outp, done)
    save(outp, done)


def expected(manifest: str) -> str:
    # `helm template` prints Fprintln(TrimSpace(manifest)): "\n" when empty.
    return manifest.strip() + "\n"


def uses_keygen(h: dict) -> bool:
    """Helm's own runs differ on a PEM block: the case generates RSA keys
    (genCA, genSignedCert, genPrivateKey), whose cost is random and large."""
    lines = expected(h.get("manifest", "")).splitlines()
    return any("LS0tLS1CRUdJTi" in lines[i] or "-----BEGIN" in lines[i] or "caBundle" in lines[i]
               for i in h.get("random_lines", []) if i < len(lines))


KEYGEN = re.compile(rb"\b(genCA|genCAWithKey|genPrivateKey|genSignedCert|genSignedCertWithKey|genSelfSignedCert|genSelfSignedCertWithKey)\b")
_KEYGEN_CACHE: dict[Path, bool] = {}


def calls_keygen(chart: Path) -> bool:
    """The chart's templates (subcharts' .tgz included) call an RSA key
    generator, maybe without printing its result."""
    if chart not in _KEYGEN_CACHE:
        found = False
        for f in chart.rglob("*"):
            if found or not f.is_file():
                continue
            if f.suffix in (".yaml", ".tpl", ".txt") and "templates" in f.parts:
                found = KEYGEN.search(f.read_bytes()) is not None
            elif f.suffix == ".tgz":
                try:
                    with tarfile.open(f) as t:
                        found = any(KEYGEN.search(t.extractfile(m).read()) for m in t.getmembers()
                                    if m.isfile() and "/templates/" in m.name)
                except (tarfile.TarError, OSError):
                    pass
        _KEYGEN_CACHE[chart] = found
    return _KEYGEN_CACHE[chart]


def is_library(chart: Path) -> bool:
    try:
        text = (chart / "Chart.yaml").read_text(encoding="utf-8")
    except OSError:
        return False
    return re.search(r"(?m)^type:\s*['\"]?library", text) is not None


def only_random(h: dict, out: str) -> bool:
    """pchart differs from Helm only on lines that differ between Helm's own runs."""
    want = expected(h.get("manifest", "")).splitlines()
    got = out.splitlines()
    rnd = set(h.get("random_lines", []))
    if len(want) != len(got):
        return False
    return all(i in rnd or (is_time(a) and is_time(b)) for i, (a, b) in enumerate(zip(want, got)) if a != b)


TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}")


def is_time(line: str) -> bool:
    """A line holding the current time (`now`), plain or base64: Helm's own
    runs within one second agree on it, so it is not caught as random."""
    v = line.split(":", 1)[-1].strip().strip('"')
    if TIME.search(v):
        return True
    try:
        return TIME.search(base64.b64decode(v, validate=True).decode("utf-8", "replace")) is not None
    except (ValueError, binascii.Error):
        return False


def write_speed_md(path: Path, rep: dict, fams: dict, pc: dict) -> None:
    """The speed table per chart family, as markdown (sums of per-case medians)."""
    out = [f"{pc.get('version', 'pchart ?')} ({pc.get('binary', '?')}); `pchart --version`: "
           f"{rep['version_ms']:.2f} ms wall, {rep.get('version_cpu_ms') or 0:.2f} ms CPU (median of 30).", "",
           "| chart family | cases | Helm in-process ms | pchart process ms | ratio | Helm CPU ms | pchart CPU ms | CPU ratio |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, f in sorted(fams.items(), key=lambda kv: -kv[1]["helm_ms"]):
        cr = f"{f['helm_cpu_ms'] / f['pchart_cpu_ms']:.2f}" if f["pchart_cpu_ms"] else "-"
        out.append(f"| {name} | {f['cases']} | {f['helm_ms']:.1f} | {f['pchart_ms']:.1f} | {f['helm_ms'] / f['pchart_ms']:.2f} |"
                   f" {f['helm_cpu_ms']:.1f} | {f['pchart_cpu_ms']:.1f} | {cr} |")
    nk = rep["without_keygen_and_pchart_errors"]
    out += ["", f"All {rep['cases']} cases: Helm {rep['helm_total_ms']:.0f} ms, pchart {rep['pchart_total_ms']:.0f} ms, "
            f"aggregate {rep['aggregate_ratio']:.2f}x (CPU {rep['aggregate_cpu_ratio'] or 0:.2f}x), median per case {rep['median_case_ratio']:.2f}x.",
            f"Without the {rep['cases'] - nk['cases']} cases whose charts call an RSA key generator (genCA, genPrivateKey, ...) or where pchart fails: {nk['cases']} cases, "
            f"aggregate {nk.get('ratio', 0):.2f}x (CPU {nk.get('cpu_ratio') or 0:.2f}x), median per case {nk.get('median_case_ratio', 0):.2f}x.",
            f"Cases slower than Helm + process start: {len(rep['slower_than_helm_plus_start'])}."]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def phase_report(corpus: Path) -> None:
    cases = load(corpus / "cases.json", [])
    helm = {r["id"]: r for r in load(corpus / "helm.json", [])}
    pc = load(corpus / "pchart.json", {})
    pcases = pc.get("cases", {})
    speed = load(corpus / "speed.json", {})
    if speed.get("cases"):
        # Side-by-side times win over the phases' separate ones.
        pc = {**pc, "version_ms": speed["version_ms"], "version_cpu_ms": speed["version_cpu_ms"]}
        sc = speed["cases"]
        helm = {k: ({**v, "ms": sc[k]["helm_ms"], "cpu_ms": sc[k]["helm_cpu_ms"]} if k in sc else v) for k, v in helm.items()}
        pcases = {k: ({**v, "ms": sc[k]["pchart_ms"], "cpu_ms": sc[k]["pchart_cpu_ms"]} if k in sc else v)
                  for k, v in pcases.items()}
    rows = []
    for c in cases:
        h, p = helm.get(c["id"]), pcases.get(c["id"])
        if h is None or p is None:
            continue
        if is_library(corpus / c["chart"]):
            # The SDK renders library charts; the helm CLI refuses them.
            h = {**h, "error": "library charts are not installable"}
        if "error" in h and p["rc"] != 0:
            cls = "same_error"
        elif "error" in h:
            cls = "helm_error_pchart_ok"
        elif p["rc"] != 0:
            cls = "pchart_error_helm_ok"
        elif p["stdout"] == expected(h.get("manifest", "")):
            cls = "identical"
        elif only_random(h, p["stdout"]):
            cls = "randomness"
        else:
            cls = "different"
        rows.append({"id": c["id"], "family": c["family"], "repo": c["repo"], "class": cls,
                     "keygen": uses_keygen(h) or calls_keygen(corpus / c["chart"]),
                     "helm_ms": h.get("ms"), "pchart_ms": p["ms"],
                     "helm_cpu_ms": h.get("cpu_ms"), "pchart_cpu_ms": p.get("cpu_ms")})
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["class"]] = counts.get(r["class"], 0) + 1
    fams: dict[str, dict] = {}
    for r in rows:
        if r["helm_ms"] is None:
            continue
        f = fams.setdefault(r["family"], {"cases": 0, "helm_ms": 0.0, "pchart_ms": 0.0,
                                          "helm_cpu_ms": 0.0, "pchart_cpu_ms": 0.0})
        f["cases"] += 1
        f["helm_ms"] += r["helm_ms"]
        f["pchart_ms"] += r["pchart_ms"]
        f["helm_cpu_ms"] += r["helm_cpu_ms"] or 0.0
        f["pchart_cpu_ms"] += r["pchart_cpu_ms"] or 0.0
    th = sum(f["helm_ms"] for f in fams.values())
    tp = sum(f["pchart_ms"] for f in fams.values())
    ratios = [r["helm_ms"] / r["pchart_ms"] for r in rows if r["helm_ms"] and r["pchart_ms"]]
    vms = pc.get("version_ms", 0.0)
    plain = [r for r in rows if r["helm_ms"] is not None and not r["keygen"] and r["class"] != "pchart_error_helm_ok"]
    no_keygen = {
        "cases": len(plain),
        "helm_ms": sum(r["helm_ms"] for r in plain), "pchart_ms": sum(r["pchart_ms"] for r in plain),
        "helm_cpu_ms": sum(r["helm_cpu_ms"] or 0 for r in plain), "pchart_cpu_ms": sum(r["pchart_cpu_ms"] or 0 for r in plain),
    }
    if plain:
        no_keygen["ratio"] = no_keygen["helm_ms"] / no_keygen["pchart_ms"]
        no_keygen["cpu_ratio"] = no_keygen["helm_cpu_ms"] / no_keygen["pchart_cpu_ms"] if no_keygen["pchart_cpu_ms"] else None
        no_keygen["median_case_ratio"] = statistics.median(r["helm_ms"] / r["pchart_ms"] for r in plain)
    slow = [r for r in rows if r["helm_ms"] is not None and r["pchart_ms"] > r["helm_ms"] + vms]
    thc = sum(f["helm_cpu_ms"] for f in fams.values())
    tpc = sum(f["pchart_cpu_ms"] for f in fams.values())
    rep = {"counts": counts, "helm_cpu_total_ms": thc, "pchart_cpu_total_ms": tpc,
           "aggregate_cpu_ratio": thc / tpc if tpc else None, "version_cpu_ms": pc.get("version_cpu_ms"), "cases": len(rows), "families": fams,
           "helm_total_ms": th, "pchart_total_ms": tp, "aggregate_ratio": th / tp if tp else None,
           "median_case_ratio": statistics.median(ratios) if ratios else None,
           "version_ms": vms, "without_keygen_and_pchart_errors": no_keygen, "slower_than_helm_plus_start": [r["id"] for r in slow], "rows": rows}
    save(corpus / "report.json", rep)
    write_speed_md(corpus / "speed.md", rep, fams, pc)
    print(json.dumps({k: v for k, v in rep.items() if k not in ("rows", "families")}, indent=1))
    print(f"{'family':32} {'cases':>5} {'helm ms':>9} {'pchart ms':>9} {'ratio':>6} {'helm cpu':>9} {'pchart cpu':>10} {'ratio':>6}")
    for name, f in sorted(fams.items(), key=lambda kv: -kv[1]["helm_ms"]):
        cr = f["helm_cpu_ms"] / f["pchart_cpu_ms"] if f["pchart_cpu_ms"] else float("nan")
        print(f"{name[:32]:32} {f['cases']:5} {f['helm_ms']:9.1f} {f['pchart_ms']:9.1f} {f['helm_ms'] / f['pchart_ms']:6.2f}"
              f" {f['helm_cpu_ms']:9.1f} {f['pchart_cpu_ms']:10.1f} {cr:6.2f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("phase", choices=["helm", "pchart", "lint", "speed", "report"])
    ap.add_argument("corpus")
    ap.add_argument("pchart", nargs="?")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--fresh", action="store_true")
    a = ap.parse_args()
    corpus = Path(a.corpus).resolve()
    if a.phase in ("pchart", "lint", "speed") and not a.pchart:
        ap.error("the pchart and lint phases need the path of the pchart binary")
    pchart = str(Path(a.pchart).resolve()) if a.pchart else ""
    if a.phase == "helm":
        phase_helm(corpus, a.runs, a.fresh)
    elif a.phase == "pchart":
        phase_pchart(corpus, pchart, a.runs, a.fresh)
    elif a.phase == "speed":
        phase_speed(corpus, pchart, a.runs)
    elif a.phase == "lint":
        phase_lint(corpus, pchart, a.jobs, a.fresh)
    else:
        phase_report(corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
