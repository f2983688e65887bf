#!/usr/bin/env python3
"""Show what differs in the cases report.py did not call identical.

Usage: python3 scripts/corpus/show.py CORPUS [--class C] [--lines N] [ID_SUBSTRING]
Prints, per case, the class, the pchart command, and a unified diff of
Helm's manifest (as `helm template --no-hooks` prints it) against pchart's
output, or both error texts.
"""
from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("match", nargs="?", default="")
    ap.add_argument("--class", dest="cls", action="append")
    ap.add_argument("--lines", type=int, default=40)
    a = ap.parse_args()
    c = Path(a.corpus)
    rep = json.loads((c / "report.json").read_text())
    helm = {r["id"]: r for r in json.loads((c / "helm.json").read_text())}
    pc = json.loads((c / "pchart.json").read_text())["cases"]
    cases = {x["id"]: x for x in json.loads((c / "cases.json").read_text())}
    for r in rep["rows"]:
        if a.match not in r["id"]:
            continue
        if a.cls and r["class"] not in a.cls:
            continue
        if not a.cls and r["class"] == "identical":
            continue
        h, p, case = helm[r["id"]], pc[r["id"]], cases[r["id"]]
        print(f"=== {r['id']} [{r['class']}]")
        print(f"    pchart render {case['chart']} --no-hooks" + (f" -f {case['values']}" if case["values"] else ""))
        if "error" in h or p["rc"] != 0:
            print("    helm:  ", (h.get("error") or "ok")[:600])
            print("    pchart:", (p["stderr"].strip() or "ok")[:600])
            continue
        want = h["manifest"].strip() + "\n"
        d = list(difflib.unified_diff(want.splitlines(), p["stdout"].splitlines(), "helm", "pchart", n=2, lineterm=""))
        print("\n".join(d[: a.lines]))
        if len(d) > a.lines:
            print(f"... {len(d) - a.lines} more diff lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
