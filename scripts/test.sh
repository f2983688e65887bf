#!/usr/bin/env bash
# The whole test suite: formatting, lints, Rust tests (recorded Helm fixtures),
# then a re-check of every fixture against real Helm.
set -euo pipefail
cd "$(dirname "$0")/.."
# Date functions use the local time zone, as Helm does; fixtures were recorded in UTC.
export TZ=UTC
python3 -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo test
# This project's own golden cases (.pchart.yaml `tests:`) and a strict lint
# of every example; two examples pull by tag on purpose (PC009 lowered to a
# note for them only: see docs/ci.md).
cargo run --quiet -- test
for values in examples/*.yaml; do
  case "$(basename "$values")" in
    oci-production.yaml | multiple-provisioning-folders.yaml)
      config=(--config scripts/pchart-lint-tagged.yaml) ;;
    *) config=() ;;
  esac
  echo "pchart lint --strict ${config[*]} -f $values"
  cargo run --quiet -- lint --strict ${config[@]+"${config[@]}"} -f "$values"
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
