#!/usr/bin/env python3
"""Record / check strvals fixtures against real Helm (helm-python-sdk).

Usage:
    python3 tests/strvals/record.py            # (re)record fixtures.json
    python3 tests/strvals/record.py --check    # compare with committed fixtures

tests/strvals/cases.yaml is a YAML list of cases:
    kind:  set | set-string | set-json | set-literal | set-file
    expr:  the flag's value, as typed after e.g. --set
    files: optional mapping relative path -> content (set-file only)
    dirs:  optional list of relative directory paths (set-file only)

For set-file, the files and directories are created in a fresh temporary
directory and Helm runs with that directory as its working directory, so
paths in expressions and error messages stay relative and stable.

tests/strvals/fixtures.json is a JSON array of the cases, each with either
"result" (the parsed values) or "error" (Helm's message). Results carry Go
types: null is nil, and every other value is a one-key object
{"bool"|"int64"|"float64"|"string"|"list"|"map": ...}; float64 values are
stored as Python repr() strings.

Helm returns its values to Python as JSON, so Go's int64 and float64 both
arrive as numbers; the type comes from the flag instead. strvals' typed
values (--set) produce int64 and never float64; --set-json decodes with
encoding/json into interface{}, so every JSON number is float64; the other
flags produce only strings.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

import helm_python

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases.yaml"
FIXTURES = HERE / "fixtures.json"

PARSERS = {
    "set": helm_python.parse_set_string,
    "set-string": helm_python.parse_set_string_values,
    "set-json": helm_python.parse_set_json,
    "set-literal": helm_python.parse_set_literal,
    "set-file": helm_python.parse_set_file,
}
ALLOWED_KEYS = {"kind", "expr", "files", "dirs"}


class CaseError(Exception):
    pass


def load_cases() -> list[dict]:
    with open(CASES, "r", encoding="utf-8", newline="") as fh:
        data = yaml.safe_load(fh) or []
    if not isinstance(data, list):
        raise CaseError(f"{CASES.name}: top level must be a YAML list")
    cases = []
    seen = set()
    for i, raw in enumerate(data):
        where = f"{CASES.name}[{i}]"
        if not isinstance(raw, dict):
            raise CaseError(f"{where}: case must be a mapping")
        unknown = set(raw) - ALLOWED_KEYS
        if unknown:
            raise CaseError(f"{where}: unknown keys {sorted(unknown)}")
        kind = raw.get("kind")
        if kind not in PARSERS:
            raise CaseError(f"{where}: kind must be one of {sorted(PARSERS)}, got {kind!r}")
        expr = raw.get("expr")
        if not isinstance(expr, str):
            raise CaseError(f"{where}: 'expr' must be a string")
        case = {"kind": kind, "expr": expr}
        files = raw.get("files") or {}
        dirs = raw.get("dirs") or []
        if (files or dirs) and kind != "set-file":
            raise CaseError(f"{where}: files/dirs only apply to set-file")
        if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files.items()
        ):
            raise CaseError(f"{where}: 'files' must map path strings to content strings")
        if not isinstance(dirs, list) or not all(isinstance(d, str) for d in dirs):
            raise CaseError(f"{where}: 'dirs' must be a list of strings")
        for rel in list(files) + dirs:
            p = Path(rel)
            if not rel or p.is_absolute() or ".." in p.parts:
                raise CaseError(f"{where}: bad path {rel!r}")
        if files:
            case["files"] = dict(files)
        if dirs:
            case["dirs"] = list(dirs)
        key = json.dumps(case, sort_keys=True)
        if key in seen:
            raise CaseError(f"{where}: duplicate case {kind} {expr!r}")
        seen.add(key)
        cases.append(case)
    return cases


def typed(v, kind: str):
    """Python value from Helm's JSON -> Go-typed JSON (see module doc)."""
    if v is None:
        return None
    if isinstance(v, bool):
        return {"bool": v}
    if isinstance(v, int):
        if kind == "set":
            return {"int64": v}
        if kind == "set-json":
            return {"float64": repr(float(v))}
        raise CaseError(f"unexpected number {v!r} from {kind}")
    if isinstance(v, float):
        if kind != "set-json":
            raise CaseError(f"unexpected float {v!r} from {kind}")
        return {"float64": repr(v)}
    if isinstance(v, str):
        return {"string": v}
    if isinstance(v, list):
        return {"list": [typed(x, kind) for x in v]}
    if isinstance(v, dict):
        return {"map": {k: typed(x, kind) for k, x in v.items()}}
    raise CaseError(f"unexpected value {v!r}")


def run_case(case: dict) -> dict:
    parse = PARSERS[case["kind"]]
    out = dict(case)
    tmp = None
    cwd = os.getcwd()
    try:
        if case["kind"] == "set-file":
            tmp = tempfile.mkdtemp(prefix="pchart-strvals-")
            for d in case.get("dirs", []):
                (Path(tmp) / d).mkdir(parents=True, exist_ok=True)
            for rel, content in case.get("files", {}).items():
                p = Path(tmp) / rel
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_bytes(content.encode("utf-8"))
            os.chdir(tmp)
        try:
            result = parse(case["expr"])
        except helm_python.HelmValuesError as exc:
            out["error"] = str(exc)
        else:
            out["result"] = typed(result, case["kind"])
    finally:
        os.chdir(cwd)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def dump_json(records: list[dict]) -> str:
    return json.dumps(records, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare with committed fixtures instead of writing")
    args = ap.parse_args(argv)

    try:
        cases = load_cases()
    except (CaseError, yaml.YAMLError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    got = [run_case(c) for c in cases]
    errors = sum(1 for g in got if "error" in g)

    if not args.check:
        with open(FIXTURES, "w", encoding="utf-8", newline="") as fh:
            fh.write(dump_json(got))
        print(f"strvals: {len(got)} cases recorded ({errors} errors)")
        return 0

    if not FIXTURES.exists():
        print(f"MISSING FIXTURE: {FIXTURES.name}")
        return 1
    with open(FIXTURES, "r", encoding="utf-8", newline="") as fh:
        raw_text = fh.read()
    expected = json.loads(raw_text)
    drifted = 0
    for i in range(max(len(expected), len(got))):
        e = expected[i] if i < len(expected) else None
        g = got[i] if i < len(got) else None
        if e != g:
            drifted += 1
            label = (g or e or {}).get("kind"), (g or e or {}).get("expr")
            print(f"DRIFT #{i} {label[0]} {json.dumps(label[1], ensure_ascii=False)}")
            print(f"  expected: {json.dumps(e, ensure_ascii=False, sort_keys=True)}")
            print(f"  got:      {json.dumps(g, ensure_ascii=False, sort_keys=True)}")
    failures = 0
    if not drifted and raw_text != dump_json(got):
        print(f"FORMAT {FIXTURES.name}: not canonically formatted (re-record)")
        failures += 1
    print(f"strvals: {len(got)} cases checked, {drifted} drifted")
    return 1 if (drifted or failures) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
