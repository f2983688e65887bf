#!/usr/bin/env python3
"""Record / check conformance fixtures against real Helm (helm-python-sdk).

Usage:
    python3 tests/conformance/record.py            # (re)record all fixtures
    python3 tests/conformance/record.py --check    # compare with committed fixtures
    python3 tests/conformance/record.py STEM ...   # restrict to given case-file stems

Each tests/conformance/cases/<stem>.yaml is a YAML list of cases:
    name:     required, snake_case, unique across all case files
    template: required, content of templates/case.yaml
    values:   optional YAML *text* for values.yaml (default "")
    helpers:  optional content of templates/_helpers.tpl
    files:    optional mapping relative path -> content (extra chart files)
    files_b64: optional mapping relative path -> base64 of the content, for
              files that are not UTF-8 text (binary files)

The fixture tests/conformance/fixtures/<stem>.json is a JSON array of
{"name", "template", "values", "helpers", "files", ["files_b64",] "output"|"error"}.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

import helm_python

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
FIXTURES_DIR = HERE / "fixtures"

CHART_YAML = "apiVersion: v2\nname: conformance\nversion: 0.1.0\n"
TEMPLATE_KEY = "conformance/templates/case.yaml"
RELEASE_NAME = "release-name"
NAMESPACE = "default"

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ALLOWED_KEYS = {"name", "template", "values", "helpers", "files", "files_b64"}


class CaseError(Exception):
    pass


def load_case_file(path: Path) -> list[dict]:
    with open(path, "r", encoding="utf-8", newline="") as fh:
        data = yaml.safe_load(fh)
    if data is None:
        data = []
    if not isinstance(data, list):
        raise CaseError(f"{path}: top level must be a YAML list of cases")
    cases = []
    for i, raw in enumerate(data):
        where = f"{path.name}[{i}]"
        if not isinstance(raw, dict):
            raise CaseError(f"{where}: case must be a mapping")
        unknown = set(raw) - ALLOWED_KEYS
        if unknown:
            raise CaseError(f"{where}: unknown keys {sorted(unknown)}")
        name = raw.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise CaseError(f"{where}: 'name' must be a snake_case string, got {name!r}")
        where = f"{path.name}:{name}"
        template = raw.get("template")
        if not isinstance(template, str):
            raise CaseError(f"{where}: 'template' must be a string")
        values = raw.get("values", "")
        if values is None:
            values = ""
        if not isinstance(values, str):
            raise CaseError(f"{where}: 'values' must be a string (YAML text), got {type(values).__name__}")
        helpers = raw.get("helpers", "")
        if helpers is None:
            helpers = ""
        if not isinstance(helpers, str):
            raise CaseError(f"{where}: 'helpers' must be a string")
        files = raw.get("files", {})
        if files is None:
            files = {}
        if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files.items()
        ):
            raise CaseError(f"{where}: 'files' must map path strings to content strings")
        files_b64 = raw.get("files_b64", {})
        if not isinstance(files_b64, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files_b64.items()
        ):
            raise CaseError(f"{where}: 'files_b64' must map path strings to base64 strings")
        try:
            for v in files_b64.values():
                base64.b64decode(v, validate=True)
        except ValueError as exc:
            raise CaseError(f"{where}: bad base64 in 'files_b64': {exc}") from None
        for rel in [*files, *files_b64]:
            p = Path(rel)
            if p.is_absolute() or ".." in p.parts or not rel:
                raise CaseError(f"{where}: bad file path {rel!r}")
            if rel in ("Chart.yaml", "values.yaml") or p.parts[0] == "templates":
                raise CaseError(f"{where}: file path {rel!r} collides with chart structure")
        cases.append(
            {
                "name": name,
                "template": template,
                "values": values,
                "helpers": helpers,
                "files": dict(files),
                "_files_b64": dict(files_b64) if "files_b64" in raw else None,
                "_has_helpers": "helpers" in raw and raw["helpers"] is not None,
            }
        )
    return cases


def write_bytes(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(text.encode("utf-8"))


def render_case(case: dict) -> dict:
    tmp = tempfile.mkdtemp(prefix="pchart-conf-")
    try:
        root = Path(tmp) / "conformance"
        write_bytes(root / "Chart.yaml", CHART_YAML)
        write_bytes(root / "values.yaml", case["values"])
        write_bytes(root / "templates" / "case.yaml", case["template"])
        if case["_has_helpers"]:
            write_bytes(root / "templates" / "_helpers.tpl", case["helpers"])
        for rel, content in case["files"].items():
            write_bytes(root / rel, content)
        for rel, content in (case["_files_b64"] or {}).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(base64.b64decode(content))
        result = {
            "name": case["name"],
            "template": case["template"],
            "values": case["values"],
            "helpers": case["helpers"],
            "files": case["files"],
        }
        if case["_files_b64"] is not None:
            result["files_b64"] = case["_files_b64"]
        try:
            chart = helm_python.Chart.load(str(root))
            out = chart.render({}, name=RELEASE_NAME, namespace=NAMESPACE, is_install=True)
        except helm_python.HelmError as exc:
            result["error"] = str(exc)
        else:
            if TEMPLATE_KEY not in out:
                raise CaseError(f"{case['name']}: Helm output has no {TEMPLATE_KEY!r}: {sorted(out)}")
            result["output"] = out[TEMPLATE_KEY]
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def dump_json(records: list[dict]) -> str:
    return json.dumps(records, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare with committed fixtures instead of writing")
    ap.add_argument("stems", nargs="*", help="restrict to these case-file stems")
    args = ap.parse_args(argv)

    all_case_files = sorted(CASES_DIR.glob("*.yaml"))
    all_stems = [p.stem for p in all_case_files]

    # Load every case file (names must be unique across ALL files, even when
    # only a subset is being recorded/checked).
    loaded: dict[str, list[dict]] = {}
    seen: dict[str, str] = {}
    problems: list[str] = []
    for path in all_case_files:
        try:
            cases = load_case_file(path)
        except (CaseError, yaml.YAMLError) as exc:
            problems.append(str(exc))
            continue
        for c in cases:
            if c["name"] in seen:
                problems.append(f"duplicate case name {c['name']!r} in {path.name} (first in {seen[c['name']]})")
            else:
                seen[c["name"]] = path.name
        loaded[path.stem] = cases
    if problems:
        for p in problems:
            print(f"error: {p}", file=sys.stderr)
        return 2

    stems = args.stems or all_stems
    unknown = [s for s in stems if s not in loaded]
    if unknown:
        print(f"error: no case file for stem(s): {', '.join(unknown)}", file=sys.stderr)
        return 2

    if args.check:
        failures = 0
        checked = 0
        drifted = 0
        fixture_stems = sorted(p.stem for p in FIXTURES_DIR.glob("*.json"))
        if not args.stems:
            for s in fixture_stems:
                if s not in loaded:
                    print(f"MISSING CASE FILE: fixture {s}.json has no cases/{s}.yaml")
                    failures += 1
        for stem in stems:
            fx_path = FIXTURES_DIR / f"{stem}.json"
            if not fx_path.exists():
                print(f"MISSING FIXTURE: cases/{stem}.yaml has no fixtures/{stem}.json")
                failures += 1
                continue
            with open(fx_path, "r", encoding="utf-8", newline="") as fh:
                raw_text = fh.read()
            expected = json.loads(raw_text)
            got = [render_case(c) for c in loaded[stem]]
            checked += len(got)
            exp_by_name = {e.get("name"): e for e in expected}
            got_names = [g["name"] for g in got]
            for g in got:
                e = exp_by_name.get(g["name"])
                if e is None:
                    print(f"DRIFT {stem}:{g['name']}: no recorded fixture entry")
                    drifted += 1
                    continue
                if e != g:
                    drifted += 1
                    print(f"DRIFT {stem}:{g['name']}")
                    for key in sorted(set(e) | set(g)):
                        if e.get(key) != g.get(key):
                            print(f"  {key}:")
                            print(f"    expected: {json.dumps(e.get(key), ensure_ascii=False)}")
                            print(f"    got:      {json.dumps(g.get(key), ensure_ascii=False)}")
            for e in expected:
                if e.get("name") not in got_names:
                    print(f"DRIFT {stem}:{e.get('name')}: fixture entry has no case")
                    drifted += 1
            if raw_text != dump_json(got) and [e.get("name") for e in expected] == got_names and expected == got:
                # same content, but ordering/formatting of the file differs
                print(f"FORMAT {stem}.json: not canonically formatted (re-record)")
                failures += 1
            elif [e.get("name") for e in expected] != got_names and set(exp_by_name) == set(got_names):
                print(f"DRIFT {stem}: case order differs from fixture order")
                failures += 1
        print(f"conformance: {checked} cases checked, {drifted} drifted")
        return 1 if (drifted or failures) else 0

    FIXTURES_DIR.mkdir(parents=True, exist_ok=True)
    total = 0
    errors = 0
    for stem in stems:
        records = [render_case(c) for c in loaded[stem]]
        total += len(records)
        errors += sum(1 for r in records if "error" in r)
        with open(FIXTURES_DIR / f"{stem}.json", "w", encoding="utf-8", newline="") as fh:
            fh.write(dump_json(records))
        print(f"recorded {stem}: {len(records)} cases ({sum(1 for r in records if 'error' in r)} errors)")
    if not args.stems:
        for p in FIXTURES_DIR.glob("*.json"):
            if p.stem not in loaded:
                print(f"warning: stale fixture {p.name} has no case file (not deleted)", file=sys.stderr)
    print(f"conformance: {total} cases recorded, {errors} errors")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
