#!/usr/bin/env python3
"""Record / check the Perses chart's golden manifests against real Helm.

Usage:
    python3 golden/record.py           # (re)record golden/*.yaml and golden/failures/*.error
    python3 golden/record.py --check   # re-render in memory, exit 1 on any difference

For every examples/<name>.yaml, golden/<name>.yaml is what
`helm template perses charts/perses -f examples/<name>.yaml` prints
(Helm v4.2's install action in client dry-run mode, release "perses",
namespace "default"): the release manifest, trimmed, plus one newline, then
the chart's hooks (its `helm test` Pod and ConfigMap) as `helm template`
prints them: "---\n# Source: <template>\n<document>\n" each, in Helm's
install order of kinds. The install action's result does not carry hooks, so
they are taken from Helm's render of the same chart and values.

For every golden/failures/<name>.yaml (values that the chart must refuse),
golden/failures/<name>.error is Helm's error message, without a newline.
"""
from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

import helm_python
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "charts" / "perses"
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "golden"
FAILURES = GOLDEN / "failures"
RELEASE = "perses"
NAMESPACE = "default"


def install(values_text: str) -> dict:
    # values_from_yaml gives numbers Helm's types (int64 vs float64), as
    # `helm template -f` would.
    values = helm_python.values_from_yaml(values_text) if values_text.strip() else {}
    cfg = helm_python.Config(storage_driver="memory")
    return cfg.install(str(CHART), RELEASE, values, namespace=NAMESPACE, dry_run="client")


# Helm's releaseutil: documents split on "---" lines, hooks sorted by kind
# in install order (only the kinds this chart's hooks use).
SPLIT = re.compile(r"(?:^|\s*\n)---\s*")
HOOK_KIND_ORDER = ["ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Secret", "Pod"]


def hooks(values: dict) -> str:
    out = helm_python.Chart.load(str(CHART)).render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    found = []
    for path in sorted(out):
        if path.endswith("NOTES.txt"):
            continue
        # Helm v4's SplitManifests trims the start of the file and of each
        # document, not the end (a block scalar keeps its last line break).
        for doc in SPLIT.split(out[path].lstrip()):
            doc = doc.lstrip()
            if not doc.strip():
                continue
            obj = yaml.safe_load(doc)
            if not isinstance(obj, dict):
                continue
            if "helm.sh/hook" in ((obj.get("metadata") or {}).get("annotations") or {}):
                kind = obj.get("kind")
                rank = HOOK_KIND_ORDER.index(kind) if kind in HOOK_KIND_ORDER else len(HOOK_KIND_ORDER)
                found.append((rank, path, doc))
    found.sort(key=lambda t: t[0])
    return "".join(f"---\n# Source: {path}\n{doc}\n" for _, path, doc in found)


def render(values_path: Path) -> str:
    text = values_path.read_text(encoding="utf-8")
    rel = install(text)
    values = helm_python.values_from_yaml(text) if text.strip() else {}
    return rel.get("manifest", "").strip() + "\n" + hooks(values)


def refusal(values_path: Path) -> str:
    try:
        install(values_path.read_text(encoding="utf-8"))
    except helm_python.HelmError as e:
        return str(e)
    raise SystemExit(f"{values_path}: Helm rendered these values, but the chart must refuse them")


def expected() -> dict[Path, str]:
    """Every golden file and the text Helm gives for it now."""
    out: dict[Path, str] = {}
    for ex in sorted(EXAMPLES.glob("*.yaml")):
        out[GOLDEN / ex.name] = render(ex)
    for f in sorted(FAILURES.glob("*.yaml")):
        out[f.with_suffix(".error")] = refusal(f)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    args = ap.parse_args()
    want = expected()
    # Golden files without an example (a renamed or deleted example) are stale.
    present = set(GOLDEN.glob("*.yaml")) | set(FAILURES.glob("*.error"))
    stale = sorted(present - set(want))
    if not args.check:
        for path, text in want.items():
            path.write_bytes(text.encode("utf-8"))
        for path in stale:
            path.unlink()
        print(f"golden: {len(want)} files recorded, {len(stale)} stale removed")
        return 0
    drift = 0
    for path, text in want.items():
        have = path.read_text(encoding="utf-8") if path.exists() else None
        if have != text:
            drift += 1
            print(f"drifted: {path.relative_to(ROOT)}")
            diff = difflib.unified_diff(
                (have or "").splitlines(True), text.splitlines(True), "committed", "helm"
            )
            sys.stdout.writelines(list(diff)[:60])
    for path in stale:
        drift += 1
        print(f"stale: {path.relative_to(ROOT)} has no example")
    print(f"golden: {len(want)} checked, {drift} drifted")
    return 1 if drift else 0


if __name__ == "__main__":
    sys.exit(main())
