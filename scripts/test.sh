#!/usr/bin/env bash
# The whole test suite: formatting, lints, Rust tests (recorded Helm fixtures),
# then a re-check of every fixture against real Helm.
set -euo pipefail
cd "$(dirname "$0")/.."
# Date functions use the local time zone, as Helm does; fixtures were recorded in UTC.
export TZ=UTC
# Real tools the artifact tests use (tests/tools/artifact_*.rs), installed with
# apt when one is missing: skopeo reads and copies pchart's layouts and
# pushes; the tests start and stop their own docker-registry (htpasswd from
# apache2-utils; openssl makes the token server's certificate) and
# containerd (root, state and socket in a temporary folder) by pid. With CI
# set they fail, not skip, when a tool is missing.
if [ "$(command -v skopeo docker-registry htpasswd containerd ctr openssl | wc -l)" != 6 ]; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq skopeo docker-registry apache2-utils containerd openssl >/dev/null
fi
python3 -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo test
# This project's own golden cases (.pchart.yaml `tests:`) and a strict lint
# of every example (the tag-pulling examples pass: PC009 is a note unless a
# team raises it; see docs/ci.md).
cargo run --quiet -- test
for values in examples/*.yaml; do
  echo "pchart lint --strict -f $values"
  cargo run --quiet -- lint --strict -f "$values"
done
# The README's walk-through, word for word, in a fresh git repository with
# real pre-commit.
bash scripts/walkthrough.sh
python3 tests/conformance/record.py --check
python3 tests/render/record.py --check
python3 tests/strvals/record.py --check
python3 golden/record.py --check
python3 tests/perses_upstream/record.py --check
python3 tests/schema/record.py --check
python3 src/yaml/testdata/record.py --check
