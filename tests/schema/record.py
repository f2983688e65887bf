#!/usr/bin/env python3
"""Record / check values.schema.json validation fixtures against real Helm.

Usage:
    python3 tests/schema/record.py           # (re)record tests/schema/fixtures.json
    python3 tests/schema/record.py --check   # re-record in memory, exit 1 on drift
    python3 tests/schema/record.py NAME ...  # print Helm's result for some cases

tests/schema/cases.yaml is a YAML list of cases:
    name:      required, snake_case, unique
    schema:    text of the root chart's values.schema.json (omit: no schema)
    values:    text of the root chart's values.yaml (default "")
    subcharts: optional list of {name, schema, values} put under charts/

Each case is installed with helm-python-sdk (Helm v4.2, client dry run); the
fixture keeps Helm's error text (or null when the values are accepted).

Helm validates with Go maps, so sibling errors (one per property, say) come
out in a random order. Comparisons therefore use a canonical form: sibling
lines of the error tree sorted, and the names in "additional properties ...
not allowed" sorted, and the per-chart blocks sorted (Helm's subchart
order is not stable either). tests/integration/schema.rs uses the same canonical form.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

import helm_python

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases.yaml"
FIXTURES = HERE / "fixtures.json"
ROOT = "sch"
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ALLOWED = {"name", "schema", "values", "subcharts"}


def load_cases() -> list[dict]:
    with open(CASES, encoding="utf-8", newline="") as fh:
        data = yaml.safe_load(fh) or []
    seen = set()
    out = []
    for i, raw in enumerate(data):
        if not isinstance(raw, dict) or set(raw) - ALLOWED:
            raise SystemExit(f"cases.yaml[{i}]: bad case {raw!r}")
        name = raw.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name) or name in seen:
            raise SystemExit(f"cases.yaml[{i}]: bad or duplicate name {name!r}")
        seen.add(name)
        subs = []
        for s in raw.get("subcharts") or []:
            subs.append({"name": s["name"], "schema": s.get("schema"), "values": s.get("values") or ""})
        out.append(
            {
                "name": name,
                "schema": raw.get("schema"),
                "values": raw.get("values") or "",
                "subcharts": subs,
            }
        )
    return out


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def chart(dirpath: Path, name: str, schema, values: str) -> None:
    write(dirpath / "Chart.yaml", f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
    write(dirpath / "values.yaml", values)
    write(dirpath / "templates" / "cm.yaml", "x: 1\n")
    if schema is not None:
        write(dirpath / "values.schema.json", schema)


def run(case: dict):
    tmp = Path(tempfile.mkdtemp(prefix="pchart-schema-"))
    try:
        root = tmp / ROOT
        chart(root, ROOT, case["schema"], case["values"])
        for s in case["subcharts"]:
            chart(root / "charts" / s["name"], s["name"], s["schema"], s["values"])
        try:
            helm_python.Config(storage_driver="memory").install(
                str(root), "r", {}, namespace="d", dry_run="client"
            )
        except helm_python.HelmError as exc:
            return str(exc)
        return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


CHART_HEADER = re.compile(r"^[A-Za-z0-9_.-]+:$")
ADDITIONAL = re.compile(r"^(.*: additional properties )(.*)( not allowed)$")


def canonical(msg):
    """Sibling-order-independent form of an error message (see module doc)."""
    if msg is None:
        return None
    lines = []
    for line in msg.split("\n"):
        m = ADDITIONAL.match(line)
        if m:
            line = m.group(1) + ", ".join(sorted(m.group(2).split(", "))) + m.group(3)
        lines.append(line)
    out = []
    i = 0
    item = re.compile(r"^( *)- ")

    def parse(i, depth):
        nodes = []
        while i < len(lines):
            m = item.match(lines[i])
            if not m or len(m.group(1)) != 2 * depth:
                break
            text = lines[i]
            i += 1
            kids, i = parse(i, depth + 1)
            nodes.append((text, kids))
        return nodes, i

    def render(nodes):
        flat = []
        for text, kids in sorted(nodes, key=lambda n: (n[0], render(n[1]))):
            flat.append(text)
            flat.extend(render(kids))
        return flat

    while i < len(lines):
        m = item.match(lines[i])
        if m and m.group(1) == "":
            nodes, i = parse(i, 0)
            out.extend(render(nodes))
        else:
            out.append(lines[i])
            i += 1
    # Subcharts are validated in Helm's dependency order, which is not
    # stable either: sort the per-chart blocks (after the first line).
    tail = []
    while out and out[-1] == "":
        tail.append(out.pop())
    blocks = []
    for line in out[1:]:
        if CHART_HEADER.match(line) or not blocks:
            blocks.append([line])
        else:
            blocks[-1].append(line)
    return "\n".join(out[:1] + [l for b in sorted(blocks) for l in b] + tail)


def main(argv) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args(argv)
    cases = load_cases()
    if args.names:
        for c in cases:
            if c["name"] in args.names:
                print(c["name"], "=>", json.dumps(run(c), ensure_ascii=False))
        return 0
    records = [dict(c, error=run(c)) for c in cases]
    if args.check:
        expected = json.loads(FIXTURES.read_text(encoding="utf-8"))
        by_name = {e["name"]: e for e in expected}
        drift = 0
        for r in records:
            e = by_name.get(r["name"])
            same = (
                e is not None
                and {k: v for k, v in e.items() if k != "error"} == {k: v for k, v in r.items() if k != "error"}
                and canonical(e["error"]) == canonical(r["error"])
            )
            if not same:
                drift += 1
                print(f"DRIFT {r['name']}")
                print(f"  expected: {json.dumps(e and e.get('error'), ensure_ascii=False)}")
                print(f"  got:      {json.dumps(r['error'], ensure_ascii=False)}")
        if len(expected) != len(records):
            print(f"DRIFT: fixture has {len(expected)} cases, cases.yaml {len(records)}")
            drift += 1
        print(f"schema: {len(records)} cases checked, {drift} drifted")
        return 1 if drift else 0
    FIXTURES.write_text(json.dumps(records, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(f"schema: {len(records)} cases recorded, {sum(1 for r in records if r['error'])} errors")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
