#!/bin/sh
# Regenerates schemas/k8s/v1.<minor>.json.gz for every supported Kubernetes
# version. Each version is a separate build of this generator: k8s-openapi
# compiles exactly one version per build (0.27.1 for 1.31-1.32, 0.29.0 for
# 1.33-1.37). Builds run one after another.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../schemas/k8s"
mkdir -p "$out"
cd "$here"
cargo fetch --quiet
# Where cargo keeps each k8s-openapi's sources (build.rs scans them for the
# types that implement k8s_openapi::Resource).
eval "$(cargo metadata --format-version 1 | python3 -c '
import json, os, sys
for p in json.load(sys.stdin)["packages"]:
    if p["name"] == "k8s-openapi":
        v = p["version"].replace(".", "_")
        print("export K8S_OPENAPI_SRC_%s=%s" % (v, os.path.dirname(p["manifest_path"])))
')"
for minor in 31 32 33 34 35 36 37; do
    cargo build --quiet --features "v1_$minor"
    ./target/debug/k8s-schema-gen > "$out/v1.$minor.json"
    gzip -9 -n -f "$out/v1.$minor.json"
done

# Which (apiVersion, kind) pairs each version serves: the validator reads
# this small index to tell "removed in 1.N" and "deprecated, removed in 1.N"
# without decompressing every version.
python3 - "$out" <<'PY'
import gzip, json, sys
out = sys.argv[1]
index = {}
for minor in range(31, 38):
    with gzip.open("%s/v1.%d.json.gz" % (out, minor)) as f:
        doc = json.load(f)
    index[doc["kubernetes"]] = {gv: sorted(kinds) for gv, kinds in sorted(doc["resources"].items())}
with open("%s/apis.json" % out, "w") as f:
    json.dump(index, f, separators=(",", ":"), sort_keys=True)
    f.write("\n")
PY
ls -l "$out/apis.json"
