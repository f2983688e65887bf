#!/usr/bin/env python3
"""Raw seed inputs for the fuzz targets, from the project's own test cases.

    python3 fuzz/make_seeds.py OUTDIR

writes OUTDIR/TARGET/NNNN for template_parse, template_exec, yaml_read,
strvals_set and chart_load. scripts/fuzz.sh --seeds minimizes them with
afl-cmin into fuzz/corpus/TARGET (kept in git); run it again when the test
cases grow. Formats are the targets' (fuzz/src/lib.rs): template_exec is
template NUL values; chart_load is name NUL content NUL ... or a .tgz.
"""

import glob
import io
import os
import sys
import tarfile

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def write(out, target, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    n = len(os.listdir(d))
    with open(os.path.join(d, f"{n:05d}"), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def chart_files(path):
    """(relative name, bytes) of every file of a chart directory."""
    out = []
    for dirpath, _, names in os.walk(path):
        for n in sorted(names):
            p = os.path.join(dirpath, n)
            if os.path.isfile(p) and not os.path.islink(p):
                with open(p, "rb") as f:
                    out.append((os.path.relpath(p, path), f.read()))
    return sorted(out)


def main():
    out = sys.argv[1]
    # Templates (with values) from the conformance cases.
    for f in sorted(glob.glob(os.path.join(ROOT, "tests/conformance/cases/*.yaml"))):
        with open(f) as fh:
            cases = yaml.safe_load(fh) or []
        for c in cases:
            t = c.get("template") or ""
            helpers = c.get("helpers") or ""
            if isinstance(helpers, dict):
                helpers = "".join(helpers.values())
            text = f"{helpers}{t}"
            write(out, "template_parse", text)
            write(out, "template_exec", f"{text}\0{c.get('values') or ''}")
            if c.get("values"):
                write(out, "yaml_read", c["values"])
    # --set expressions.
    with open(os.path.join(ROOT, "tests/strvals/cases.yaml")) as fh:
        for c in yaml.safe_load(fh):
            write(out, "strvals_set", str(c.get("expr", "")))
    # Values files, YAML cases and chart files.
    for pat in ["examples/*.yaml", "tests/charts/*/values.yaml", "tests/charts/*/Chart.yaml"]:
        for f in sorted(glob.glob(os.path.join(ROOT, pat))):
            with open(f, "rb") as fh:
                write(out, "yaml_read", fh.read())
    with open(os.path.join(ROOT, "tests/render/cases.yaml")) as fh:
        for c in yaml.safe_load(fh):
            if c.get("values"):
                write(out, "yaml_read", c["values"])
    # Whole charts, as file lists and one as a .tgz.
    for d in sorted(glob.glob(os.path.join(ROOT, "tests/charts/*/"))):
        files = chart_files(d)
        write(out, "chart_load", b"\0".join(n.encode() + b"\0" + c for n, c in files))
        for n, c in files:
            if n.startswith("templates/"):
                write(out, "template_parse", c)
    for name in ["webapp", "schema"]:
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w:gz") as tar:
            for n, c in chart_files(os.path.join(ROOT, "tests/charts", name)):
                info = tarfile.TarInfo(f"{name}/{n}")
                info.size = len(c)
                info.mtime = 0
                tar.addfile(info, io.BytesIO(c))
        write(out, "chart_load", buf.getvalue())


if __name__ == "__main__":
    main()
