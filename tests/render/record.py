#!/usr/bin/env python3
"""Record / check whole-chart render fixtures against real Helm.

Usage:
    python3 tests/render/record.py           # (re)record tests/render/fixtures.json
    python3 tests/render/record.py --check   # fail if Helm's output drifted

Each case in cases.yaml renders charts/<chart> with Helm v4.2's install
action in client dry-run mode (what `helm template` runs) and stores the
release manifest (hooks excluded), the notes, or the error text.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

import helm_python

helm_python.disable_logging()

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures.json"


def record_case(case: dict) -> dict:
    chart = HERE.parent / "charts" / case["chart"]
    values_text = case.get("values", "") or ""
    values = helm_python.values_from_yaml(values_text) if values_text.strip() else {}
    out = {
        "name": case["name"],
        "chart": case["chart"],
        "values": values_text,
        "release": case.get("release", "release-name"),
        "namespace": case.get("namespace", "default"),
    }
    if "cli_error" in case:
        out["cli_error"] = case["cli_error"]
    if "known_divergence" in case:
        out["known_divergence"] = case["known_divergence"]
    cfg = helm_python.Config(storage_driver="memory")
    try:
        rel = cfg.install(
            str(chart),
            out["release"],
            values,
            namespace=out["namespace"],
            dry_run="client",
        )
        out["manifest"] = rel.get("manifest", "")
        out["notes"] = rel.get("notes", "")
    except helm_python.HelmError as e:
        out["error"] = str(e)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    cases = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8")) or []
    names = [c["name"] for c in cases]
    if len(names) != len(set(names)):
        print("duplicate case names", file=sys.stderr)
        return 2
    recorded = [record_case(c) for c in cases]
    if args.check:
        old = json.loads(FIXTURES.read_text(encoding="utf-8"))
        drift = [r["name"] for r, o in zip(recorded, old) if r != o]
        if len(old) != len(recorded):
            drift.append("<case count>")
        print(f"render: {len(recorded)} checked, {len(drift)} drifted")
        for d in drift:
            print(f"  drifted: {d}")
        return 1 if drift else 0
    FIXTURES.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    errors = sum(1 for r in recorded if "error" in r)
    print(f"render: {len(recorded)} cases recorded, {errors} errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
