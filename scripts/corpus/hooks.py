#!/usr/bin/env python3
"""Check the hooks `pchart render` prints after the manifest (what the
corpus comparison leaves out with --no-hooks) against Helm's rendered hook
documents.

Usage: python3 scripts/corpus/hooks.py CORPUS PCHART

The SDK's install result has no hooks, so Helm's side is Chart.load(chart)
.render(values, is_install=True): every rendered template, split into YAML
documents as Helm's releaseutil does, keeping those annotated helm.sh/hook.
pchart's side is its output with hooks minus its --no-hooks output. Order is
not compared (it is tested elsewhere): the sorted (source, document) lists
are. Writes CORPUS/hooks.json and prints the counts.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

import helm_python

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import helm_values, save  # noqa: E402

helm_python.disable_logging()
SEP = re.compile(r"(?:^|\s*\n)---\s*")
HOOK_KEY = re.compile(r"^\s+['\"]?helm\.sh/hook['\"]?\s*:", re.M)


def helm_hooks(chart: Path, values: dict) -> list[tuple[str, str]]:
    out = helm_python.Chart.load(str(chart)).render(values, name="release-name", namespace="default", is_install=True)
    docs = []
    for path, text in out.items():
        if path.endswith("NOTES.txt"):
            continue
        for d in SEP.split(text):
            d = d.strip()
            if not d or not HOOK_KEY.search(d):
                continue
            try:
                meta = (yaml.safe_load(d) or {}).get("metadata") or {}
            except yaml.YAMLError:
                continue
            if "helm.sh/hook" in (meta.get("annotations") or {}):
                docs.append((path, d))
    return sorted(docs)


def pchart_hooks(text: str) -> list[tuple[str, str]]:
    docs = []
    for part in text.split("---\n# Source: ")[1:]:
        src, _, body = part.partition("\n")
        docs.append((src, body.strip()))
    return sorted(docs)


def only_random(mine: str, helm: str, helm_again: str) -> bool:
    """mine differs from helm only on lines where Helm's two renders differ."""
    a, b, c = mine.splitlines(), helm.splitlines(), helm_again.splitlines()
    if not (len(a) == len(b) == len(c)):
        return False
    return all(x == y or y != z for x, y, z in zip(a, b, c))


def main() -> int:
    corpus, pchart = Path(sys.argv[1]).resolve(), str(Path(sys.argv[2]).resolve())
    cases = json.loads((corpus / "cases.json").read_text())
    pc = json.loads((corpus / "pchart.json").read_text())["cases"]
    res, counts = {}, {}
    for c in cases:
        p = pc.get(c["id"])
        if not p or p["rc"] != 0:
            continue
        args = [pchart, "render", c["chart"]] + (["-f", c["values"]] if c["values"] else [])
        full = subprocess.run(args, cwd=corpus, capture_output=True, timeout=120)
        text = full.stdout.decode("utf-8", "replace")
        if full.returncode != 0:
            cls, mine, theirs = "pchart_error_with_hooks", [], []
        else:
            # Random values differ between runs: skip as many documents as
            # the --no-hooks output has, rather than matching its text.
            n = p["stdout"].count("---\n# Source: ")
            mine = pchart_hooks("---\n# Source: " + "---\n# Source: ".join(text.split("---\n# Source: ")[1 + n:])
                                if text.count("---\n# Source: ") > n else "")
            try:
                vals = helm_values(helm_python, corpus / c["values"]) if c["values"] else {}
                theirs = helm_hooks(corpus / c["chart"], vals)
                again = helm_hooks(corpus / c["chart"], vals) if mine != theirs else theirs
            except helm_python.HelmError as e:
                res[c["id"]] = {"class": "helm_error", "error": str(e)[:300]}
                counts["helm_error"] = counts.get("helm_error", 0) + 1
                continue
            if not mine and not theirs:
                cls = "no_hooks"
            elif mine == theirs:
                cls = "identical"
            elif [s for s, _ in mine] != [s for s, _ in theirs]:
                cls = "different_sources"
            elif all(only_random(a, b, c2) for (_, a), (_, b), (_, c2) in zip(mine, theirs, again)):
                cls = "randomness"
            else:
                cls = "same_sources_content_differs"
        counts[cls] = counts.get(cls, 0) + 1
        if cls not in ("no_hooks", "identical"):
            res[c["id"]] = {"class": cls, "pchart": mine, "helm": theirs}
    save(corpus / "hooks.json", {"counts": counts, "cases": res})
    print(json.dumps(counts, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
