#!/usr/bin/env python3
"""Record / check what the embedded Perses chart must share with the upstream
Perses chart (perses/helm-charts, charts/perses, 0.23.x).

Usage:
    python3 tests/perses_upstream/record.py           # (re)record facts.json
    python3 tests/perses_upstream/record.py --check   # re-render, exit 1 on drift

The upstream chart is read from a git mirror outside the repository
($PERSES_UPSTREAM_GIT, default /work/.mirror/perses+helm-charts/repo) and
extracted to a temporary folder: no upstream file enters the repository,
only the facts below.

Cases: upstream's own values.yaml, every file of upstream's ci/ folder (none
in 0.23.x), and each tests/perses_upstream/cases/<name>.yaml given on top of
upstream's values.yaml (the way `helm install -f` layers it over the chart's
defaults). Each case is rendered by real Helm (helm-python-sdk, all
templates including test hooks, release "perses", namespace "default"); the
FACTS kept are object kinds and names, hooks, labels (bar helm.sh/chart,
which names the chart version), per workload the pod security context,
volumes, volume claim templates and per container the image, probe paths,
mounts, env var names and security context, Secret keys, the Perses
config.yaml, and the Service type and nodePort.

The embedded chart renders the same facts except for deliberate fixes of
upstream bugs, listed in the README ("The Perses chart"); FIXES below
applies each to upstream's facts, and the fixture names the fixes used per
case. facts.json keeps, per case, the values given (upstream's values.yaml
parsed, comments dropped, so the Rust test can render the same values) and
the expected facts. tests/integration/perses_upstream.rs renders the embedded chart
with pchart and compares; --check also renders the embedded chart with
real Helm. Without the mirror (CI), --check still checks the embedded side
against the recorded facts.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

import yaml

import helm_python

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CASES = HERE / "cases"
FIXTURE = HERE / "facts.json"
EMBEDDED = ROOT / "charts" / "perses"
MIRROR = Path(os.environ.get("PERSES_UPSTREAM_GIT", "/work/.mirror/perses+helm-charts/repo"))
UPSTREAM_PATH = "charts/perses"
RELEASE = "perses"
NAMESPACE = "default"


def upstream_chart(tmp: Path) -> Path | None:
    """Extract upstream's chart from the mirror into tmp; None without a mirror."""
    if not MIRROR.exists():
        return None
    tar = subprocess.run(
        ["git", "-C", str(MIRROR), "archive", "HEAD", UPSTREAM_PATH],
        check=True, capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(tar)) as tf:
        tf.extractall(tmp, filter="data")
    return tmp / UPSTREAM_PATH


def render(chart: Path, values: dict) -> list[dict]:
    """Every rendered object (hooks included), as Helm would apply them."""
    out = helm_python.Chart.load(str(chart)).render(
        values, name=RELEASE, namespace=NAMESPACE, is_install=True
    )
    docs = []
    for name in sorted(out):
        if not name.endswith((".yaml", ".yml")):
            continue
        for doc in yaml.safe_load_all(out[name]):
            if isinstance(doc, dict) and doc.get("kind"):
                docs.append(doc)
    return docs


def merge(base, over):
    """Helm's -f layering of a values file over another (null deletes)."""
    if not isinstance(base, dict) or not isinstance(over, dict):
        return copy.deepcopy(over)
    out = copy.deepcopy(base)
    for k, v in over.items():
        if v is None:
            out[k] = None
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def volume(v: dict) -> str:
    name = v.get("name")
    if "emptyDir" in v:
        return f"{name}:emptyDir"
    if "configMap" in v:
        return f"{name}:configMap={v['configMap'].get('name')}"
    if "secret" in v:
        return f"{name}:secret={v['secret'].get('secretName')}"
    if "persistentVolumeClaim" in v:
        return f"{name}:pvc={v['persistentVolumeClaim'].get('claimName')}"
    if "image" in v:
        return f"{name}:image={v['image'].get('reference')}"
    return f"{name}:other"


def mount(m: dict) -> str:
    s = f"{m.get('name')}:{m.get('mountPath')}"
    if m.get("subPath"):
        s += f":{m['subPath']}"
    return s


def container(c: dict) -> dict:
    probes = {}
    for p in ("livenessProbe", "readinessProbe", "startupProbe"):
        if isinstance(c.get(p), dict):
            probes[p] = (c[p].get("httpGet") or {}).get("path")
    return {
        "name": c.get("name"),
        "image": c.get("image"),
        "probes": probes,
        "mounts": sorted(mount(m) for m in c.get("volumeMounts") or []),
        "env": sorted(e.get("name") for e in c.get("env") or []),
        "securityContext": c.get("securityContext") or {},
    }


def facts(docs: list[dict]) -> dict:
    objects, labels, hooks, workloads, secrets, configs, services = [], {}, {}, {}, {}, {}, {}
    for d in docs:
        md = d.get("metadata") or {}
        key = f"{d['kind']}/{md.get('name')}"
        objects.append(key)
        labels[key] = {k: v for k, v in (md.get("labels") or {}).items() if k != "helm.sh/chart"}
        hook = (md.get("annotations") or {}).get("helm.sh/hook")
        if hook:
            hooks[key] = hook
        kind = d["kind"]
        if kind in ("StatefulSet", "Deployment", "Pod"):
            spec = d.get("spec") or {}
            pod = spec if kind == "Pod" else (spec.get("template") or {}).get("spec") or {}
            workloads[key] = {
                "securityContext": pod.get("securityContext") or {},
                "containers": [container(c) for c in pod.get("containers") or []],
                "volumes": sorted(volume(v) for v in pod.get("volumes") or []),
                "volumeClaimTemplates": sorted(
                    (t.get("metadata") or {}).get("name") for t in spec.get("volumeClaimTemplates") or []
                ),
            }
        elif kind == "Secret":
            secrets[key] = sorted((d.get("data") or {}).keys())
        elif kind == "ConfigMap":
            data = d.get("data") or {}
            if "config.yaml" in data:
                configs[key] = yaml.safe_load(data["config.yaml"])
            else:
                configs[key] = sorted(data.keys())
        elif kind == "Service":
            spec = d.get("spec") or {}
            services[key] = {
                "type": spec.get("type"),
                "nodePorts": [p.get("nodePort") for p in spec.get("ports") or []],
            }
    return {
        "objects": sorted(objects),
        "labels": labels,
        "hooks": hooks,
        "workloads": workloads,
        "secrets": secrets,
        "configMaps": configs,
        "services": services,
    }


# Deliberate fixes of upstream bugs (README, "The Perses chart"): each takes
# upstream's facts and returns what the embedded chart renders instead.
def fix_headless_service(f: dict) -> bool:
    """Upstream's StatefulSet names <fullname>-headless as its serviceName
    but never renders that Service; the embedded chart does."""
    sts = [k for k in f["workloads"] if k.startswith("StatefulSet/")]
    if not sts:
        return False
    name = sts[0].split("/", 1)[1]
    key = f"Service/{name}-headless"
    f["objects"] = sorted(f["objects"] + [key])
    f["labels"][key] = copy.deepcopy(f["labels"][f"Service/{name}"])
    f["services"][key] = {"type": None, "nodePorts": [None]}
    return True


def fix_sql_provisioning_mount(f: dict) -> bool:
    """In SQL mode upstream's sidecar fills a volume that the Perses
    container never mounts; the embedded chart mounts it in both."""
    changed = False
    for key, w in f["workloads"].items():
        if not key.startswith("Deployment/"):
            continue
        side = [c for c in w["containers"] if c["name"].endswith("-provisioning-sidecar")]
        if not side:
            continue
        prov = [m for m in side[0]["mounts"] if m.startswith("provisioning:")]
        for c in w["containers"]:
            if c is not side[0] and prov[0] not in c["mounts"]:
                c["mounts"] = sorted(c["mounts"] + prov)
                changed = True
    return changed


FIXES = {
    "headless-service": fix_headless_service,
    "sql-provisioning-mount": fix_sql_provisioning_mount,
}


def expected(upstream_facts: dict) -> tuple[dict, list[str]]:
    f = copy.deepcopy(upstream_facts)
    used = [name for name, fix in FIXES.items() if fix(f)]
    return f, used


def cases(upstream: Path | None, recorded: dict) -> dict[str, dict]:
    """name -> values given to both charts. Without the mirror, the
    recorded values (upstream's values.yaml and ci/ files) stand in."""
    out: dict[str, dict] = {}
    if upstream is not None:
        base = yaml.safe_load((upstream / "values.yaml").read_text()) or {}
        out["upstream-values"] = base
        for ci in sorted((upstream / "ci").glob("*.yaml")) if (upstream / "ci").is_dir() else []:
            out[f"upstream-ci-{ci.stem}"] = merge(base, yaml.safe_load(ci.read_text()) or {})
    else:
        base = recorded["upstream-values"]["values"]
        for name, case in recorded.items():
            if name.startswith("upstream-"):
                out[name] = case["values"]
    for path in sorted(CASES.glob("*.yaml")):
        out[path.stem] = merge(base, yaml.safe_load(path.read_text()) or {})
    return out


def record(upstream: Path | None, recorded: dict) -> dict:
    fixture = {}
    for name, values in cases(upstream, recorded).items():
        if upstream is not None:
            want, used = expected(facts(render(upstream, values)))
        else:
            want, used = recorded[name]["facts"], recorded[name]["fixes"]
        fixture[name] = {
            # Only upstream's own values files are stored; a local case is
            # re-read from cases/ by the Rust test.
            "values": values if name.startswith("upstream-") else None,
            "fixes": used,
            "facts": want,
        }
    return fixture


def diff(a, b, path="") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            if k not in a:
                out.append(f"{path}/{k}: only embedded: {json.dumps(b[k])[:200]}")
            elif k not in b:
                out.append(f"{path}/{k}: only expected: {json.dumps(a[k])[:200]}")
            else:
                out += diff(a[k], b[k], f"{path}/{k}")
        return out
    return [] if a == b else [f"{path}: expected {json.dumps(a)[:300]}, embedded {json.dumps(b)[:300]}"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args()
    recorded = json.loads(FIXTURE.read_text()) if FIXTURE.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        upstream = upstream_chart(Path(tmp))
        if upstream is None and not recorded:
            raise SystemExit(f"no upstream mirror at {MIRROR} and no {FIXTURE.name} to check")
        fixture = record(upstream, recorded)
    if not args.check:
        FIXTURE.write_text(json.dumps(fixture, indent=1, sort_keys=True) + "\n")
        print(f"perses_upstream: {len(fixture)} cases recorded")
    bad = []
    # The embedded chart, rendered by real Helm, must give the expected facts.
    for name, case in fixture.items():
        values = case["values"] if case["values"] is not None else cases(None, fixture)[name]
        try:
            got = facts(render(EMBEDDED, values))
        except helm_python.HelmError as e:
            bad.append(f"{name}: the embedded chart fails: {e}")
            continue
        for line in diff(case["facts"], got):
            bad.append(f"{name}: {line}")
    if args.check:
        if upstream is None:
            print(f"perses_upstream: no mirror at {MIRROR}: upstream side not re-rendered")
        elif fixture != recorded:
            bad.append(f"{FIXTURE.name} is stale: python3 tests/perses_upstream/record.py")
    for line in bad:
        print(line, file=sys.stderr)
    print(f"perses_upstream: {len(fixture)} cases checked, {len(bad)} differences")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
