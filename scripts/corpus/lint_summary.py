#!/usr/bin/env python3
"""Summarize CORPUS/lint.json: error findings per Kubernetes version and rule,
with a few examples of each distinct message shape.

Usage: python3 scripts/corpus/lint_summary.py CORPUS [--rule CODE] [--examples N]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path


def shape(msg: str) -> str:
    # Object names and quoted field names vary; keep the message's shape.
    m = re.sub(r"^[^:]+: ", "", msg, count=1)
    return re.sub(r'"[^"]*"', '"…"', m)[:140]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--rule")
    ap.add_argument("--examples", type=int, default=2)
    a = ap.parse_args()
    lint = json.loads((Path(a.corpus) / "lint.json").read_text())
    for kv in ("1.33", "1.36"):
        per_rule: Counter = Counter()
        charts_rule: dict[str, set] = defaultdict(set)
        shapes: dict[tuple, list] = defaultdict(list)
        failed = []
        exit1 = 0
        for key, r in lint.items():
            chart, v = key.rsplit("@", 1)
            if v != kv:
                continue
            if r["rc"] == 1:
                exit1 += 1
            if r["json"] is None:
                failed.append((chart, r["rc"], (r["stderr"] or r["stdout"]).strip()[:200]))
                continue
            for f in r["json"].get("findings", []):
                if f.get("severity") != "error":
                    continue
                if a.rule and f["rule"] != a.rule:
                    continue
                per_rule[f["rule"]] += 1
                charts_rule[f["rule"]].add(chart)
                shapes[(f["rule"], shape(f["message"]))].append((chart, f))
        total = sum(1 for k in lint if k.endswith("@" + kv))
        print(f"== Kubernetes {kv}: {total} charts linted, {exit1} exit 1, {len(failed)} without JSON output")
        for rule, n in per_rule.most_common():
            print(f"  {rule}: {n} errors in {len(charts_rule[rule])} charts")
        for (rule, sh), items in sorted(shapes.items(), key=lambda kv: (kv[0][0], -len(kv[1]))):
            charts = sorted({c for c, _ in items})
            print(f"  [{rule}] x{len(items)} in {len(charts)} charts: {sh}")
            for c, f in items[: a.examples]:
                print(f"      {c} :: {f.get('file')}:{f.get('line')} {f.get('path')} :: {f['message'][:200]}")
        for c, rc, why in failed:
            print(f"  no JSON: {c} rc={rc}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
