#!/usr/bin/env python3
"""Build a public-chart corpus from git mirrors (outside the repository).

Usage:
    python3 scripts/corpus/build.py OUT MIRROR... [--dep-mirror MIRROR ...]

Every MIRROR is a bare git directory (as the `fetch` tool leaves them, e.g.
/work/.mirror/grafana+helm-charts/repo). Each chart at HEAD (a directory
with Chart.yaml, not inside another chart, not under .github/) is extracted
with `git archive` into OUT/charts/<repo>/<chart path>. Its dependencies
that are not already in its charts/ are vendored the way `helm dependency
build` lays them out: a `helm package`d .tgz in charts/, taken from any
mirror given (MIRROR and --dep-mirror) by chart name, at HEAD when HEAD's
version satisfies the constraint, else at the newest commit whose version
does (searched back through the chart's history). `file://` dependencies
come from the same repository. Charts whose dependencies cannot be resolved
are left out and listed in OUT/skipped.json.

Cases (OUT/cases.json): each chart with its default values, plus each of its
ci/*.yaml|yml. Only the mirrors' HEAD commits and this script decide the
corpus, so a re-run gives the same cases.
"""
from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import yaml

import helm_python

helm_python.disable_logging()


def git(gitdir: Path, *args: str) -> bytes:
    return subprocess.run(["git", "--git-dir", str(gitdir), *args], check=True, capture_output=True).stdout


def git_dir(mirror: Path) -> Path:
    return mirror / ".git" if (mirror / ".git").is_dir() else mirror


def repo_name(mirror: Path) -> str:
    # /work/.mirror/owner+name/repo[/.git] -> owner+name
    p = mirror.resolve()
    while p.name in ("repo", ".git"):
        p = p.parent
    return p.name


# --- Masterminds-semver-like constraints (what Helm uses) -------------------

VER = re.compile(r"^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


def parse_version(s: str):
    m = VER.match(s.strip())
    if not m:
        return None
    parts = []
    for g in m.group(1, 2, 3):
        parts.append(None if g is None or g in "xX*" else int(g))
    return parts, m.group(4)


def vkey(s: str):
    p = parse_version(s)
    if not p or None in p[0]:
        return None
    return tuple(p[0]), p[1]


def cmp_ver(a, b) -> int:
    (na, pa), (nb, pb) = a, b
    if na != nb:
        return -1 if na < nb else 1
    if pa == pb:
        return 0
    if pa is None:
        return 1
    if pb is None:
        return -1
    return -1 if pa < pb else 1


def satisfies_one(v, c: str) -> bool:
    c = c.strip()
    if c in ("", "*", "x", "X"):
        return True
    m = re.match(r"^(>=|=>|<=|=<|!=|>|<|=|~>|~|\^)?\s*(.+)$", c)
    op, rest = m.group(1) or "=", m.group(2)
    p = parse_version(rest)
    if p is None:
        return False
    nums, pre = p
    wild = None in nums
    filled = [n if n is not None else 0 for n in nums]
    base = (tuple(filled), pre)
    if op in ("~", "~>"):
        lo = base
        if nums[1] is None:
            hi = ((filled[0] + 1, 0, 0), None)
        else:
            hi = ((filled[0], filled[1] + 1, 0), None)
        return cmp_ver(v, lo) >= 0 and cmp_ver(v, hi) < 0
    if op == "^":
        lo = base
        if filled[0] > 0 or nums[1] is None:
            hi = ((filled[0] + 1, 0, 0), None)
        elif filled[1] > 0 or nums[2] is None:
            hi = ((0, filled[1] + 1, 0), None)
        else:
            hi = ((0, 0, filled[2] + 1), None)
        return cmp_ver(v, lo) >= 0 and cmp_ver(v, hi) < 0
    if op == "=" and wild:
        if nums[1] is None:
            return v[0][0] == nums[0]
        return v[0][0] == nums[0] and v[0][1] == nums[1]
    r = cmp_ver(v, base)
    return {"=": r == 0, "!=": r != 0, ">": r > 0, "<": r < 0, ">=": r >= 0, "=>": r >= 0,
            "<=": r <= 0, "=<": r <= 0}[op]


def satisfies(version: str, constraint: str) -> bool:
    v = vkey(version)
    if v is None:
        return False
    constraint = str(constraint or "*")
    for alt in constraint.split("||"):
        alt = alt.strip()
        hy = re.match(r"^(\S+)\s+-\s+(\S+)$", alt)
        if hy:
            terms = [">=" + hy.group(1), "<=" + hy.group(2)]
        else:
            alt = re.sub(r"(>=|=>|<=|=<|!=|>|<|=|~>|~|\^)\s+", r"\1", alt)
            terms = [t for t in re.split(r"[,\s]+", alt) if t]
        if v[1] is not None and not any("-" in t for t in terms):
            continue  # a pre-release matches only constraints that name one
        if all(satisfies_one(v, t) for t in terms):
            return True
    return False


# --- mirrors ----------------------------------------------------------------


class Mirror:
    def __init__(self, path: Path):
        self.path = path
        self.gitdir = git_dir(path)
        self.name = repo_name(path)
        files = git(self.gitdir, "ls-tree", "-r", "--name-only", "HEAD").decode().splitlines()
        self.files = files
        dirs = sorted({str(Path(f).parent) if "/" in f else "." for f in files if f == "Chart.yaml" or f.endswith("/Chart.yaml")})
        self.chart_dirs = [d for d in dirs if ".github" not in d.split("/")]

    def top_charts(self) -> list[str]:
        # A chart inside another chart's directory is a vendored subchart.
        out = []
        for d in self.chart_dirs:
            if not any(d != o and (o == "." or d.startswith(o + "/")) for o in self.chart_dirs):
                out.append(d)
        return out

    def chart_yaml(self, d: str, commit: str = "HEAD") -> dict:
        p = "Chart.yaml" if d == "." else f"{d}/Chart.yaml"
        try:
            return yaml.safe_load(git(self.gitdir, "show", f"{commit}:{p}")) or {}
        except Exception:
            return {}

    def extract(self, d: str, dest: Path, commit: str = "HEAD") -> None:
        dest.mkdir(parents=True, exist_ok=True)
        tree = f"{commit}:{d}" if d != "." else f"{commit}:"
        data = git(self.gitdir, "archive", "--format=tar", tree)
        with tarfile.open(fileobj=io.BytesIO(data)) as t:
            t.extractall(dest, filter="tar")


class Index:
    """Chart name -> (mirror, dir) candidates across all mirrors."""

    def __init__(self, mirrors: list[Mirror]):
        self.by_name: dict[str, list[tuple[Mirror, str]]] = {}
        for m in mirrors:
            for d in m.chart_dirs:
                name = m.chart_yaml(d).get("name")
                if name:
                    self.by_name.setdefault(str(name), []).append((m, d))

    def resolve(self, name: str, constraint: str):
        """(mirror, dir, commit) of a version satisfying constraint, HEAD first."""
        cands = self.by_name.get(name, [])
        for m, d in cands:
            if satisfies(str(m.chart_yaml(d).get("version", "")), constraint):
                return m, d, "HEAD"
        for m, d in cands:
            p = "Chart.yaml" if d == "." else f"{d}/Chart.yaml"
            commits = git(m.gitdir, "log", "--format=%H", "-n", "2000", "HEAD", "--", p).decode().split()
            for c in commits:
                if satisfies(str(m.chart_yaml(d, c).get("version", "")), constraint):
                    return m, d, c
        return None


def dependencies(chart_dir: Path) -> list[dict]:
    cy = yaml.safe_load((chart_dir / "Chart.yaml").read_text(encoding="utf-8")) or {}
    deps = cy.get("dependencies") or []
    req = chart_dir / "requirements.yaml"
    if not deps and req.exists():
        deps = (yaml.safe_load(req.read_text(encoding="utf-8")) or {}).get("dependencies") or []
    return [d for d in deps if isinstance(d, dict) and d.get("name")]


def present(chart_dir: Path, name: str) -> bool:
    charts = chart_dir / "charts"
    if not charts.is_dir():
        return False
    for p in charts.iterdir():
        if p.is_dir() and (p / "Chart.yaml").exists():
            try:
                if (yaml.safe_load((p / "Chart.yaml").read_text(encoding="utf-8")) or {}).get("name") == name:
                    return True
            except Exception:
                pass
        if p.name.endswith(".tgz") and p.name.startswith(name + "-") and re.match(r"^\d", p.name[len(name) + 1:]):
            return True
    return False


def vendor(chart_dir: Path, mirror: Mirror, rel: str, commit: str, index: Index, tmp: Path, depth: int = 0) -> str | None:
    """Vendor chart_dir's missing dependencies; None on success, else why not."""
    if depth > 6:
        return "dependency chain too deep"
    for dep in dependencies(chart_dir):
        name = str(dep["name"])
        if present(chart_dir, name):
            continue
        repo = str(dep.get("repository") or "")
        if repo.startswith("file://"):
            # Relative to the chart's directory in the same repository.
            sub = _normpath(f"{rel}/{repo[len('file://'):]}")
            src = (mirror, sub, commit)
            if mirror.chart_yaml(sub, commit).get("name") is None:
                return f"{name}: {repo} not in the repository"
        else:
            src = index.resolve(name, str(dep.get("version") or "*"))
            if src is None:
                return f"{name} {dep.get('version')} ({repo}) not in the mirrors"
        m, d, c = src
        stage = tmp / f"dep{depth}-{name}-{abs(hash((m.name, d, c))) % 10**8}"
        if stage.exists():
            shutil.rmtree(stage)
        m.extract(d, stage / name, c)
        why = vendor(stage / name, m, d, c, index, tmp, depth + 1)
        if why:
            return f"{name} -> {why}"
        (chart_dir / "charts").mkdir(exist_ok=True)
        try:
            helm_python.package(str(stage / name), destination=str(chart_dir / "charts"))
        except helm_python.HelmError as e:
            return f"{name}: helm package failed: {str(e).splitlines()[0]}"
        shutil.rmtree(stage)
    return None


def _normpath(p: str) -> str:
    out: list[str] = []
    for part in p.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if out:
                out.pop()
            continue
        out.append(part)
    return "/".join(out) or "."


def family(chart: Path) -> str:
    try:
        return str((yaml.safe_load((chart / "Chart.yaml").read_text(encoding="utf-8")) or {}).get("name") or chart.name)
    except Exception:
        return chart.name


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("mirrors", nargs="+")
    ap.add_argument("--dep-mirror", action="append", default=[])
    args = ap.parse_args()
    out = Path(args.out).resolve()
    if out.exists():
        shutil.rmtree(out)
    (out / "charts").mkdir(parents=True)
    tmp = out / "tmp"
    tmp.mkdir()
    mirrors = [Mirror(Path(m)) for m in args.mirrors]
    seen = {str(Path(m).resolve()) for m in args.mirrors}
    extra = [Mirror(Path(m)) for m in dict.fromkeys(args.dep_mirror) if str(Path(m).resolve()) not in seen]
    index = Index(mirrors + extra)
    cases, skipped, charts = [], [], []
    for m in mirrors:
        head = git(m.gitdir, "rev-parse", "HEAD").decode().strip()
        for d in m.top_charts():
            dest = out / "charts" / m.name / (d if d != "." else "_root")
            m.extract(d, dest)
            why = vendor(dest, m, d, "HEAD", index, tmp)
            if why:
                skipped.append({"repo": m.name, "chart": d, "why": why})
                shutil.rmtree(dest)
                print(f"skip {m.name}/{d}: {why}", file=sys.stderr)
                continue
            rel = str(dest.relative_to(out))
            fam = family(dest)
            charts.append({"repo": m.name, "commit": head, "path": d, "dir": rel, "family": fam})
            cases.append({"id": f"{m.name}/{d}:default", "repo": m.name, "family": fam, "chart": rel, "values": None})
            ci = dest / "ci"
            if ci.is_dir():
                for f in sorted(ci.iterdir()):
                    if f.is_file() and f.suffix in (".yaml", ".yml"):
                        cases.append({"id": f"{m.name}/{d}:ci/{f.name}", "repo": m.name, "family": fam,
                                      "chart": rel, "values": str(f.relative_to(out))})
    shutil.rmtree(tmp)
    (out / "charts.json").write_text(json.dumps(charts, indent=1) + "\n")
    (out / "cases.json").write_text(json.dumps(cases, indent=1) + "\n")
    (out / "skipped.json").write_text(json.dumps(skipped, indent=1) + "\n")
    print(f"{len(mirrors)} repositories, {len(charts)} charts, {len(cases)} cases, {len(skipped)} charts skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
