#!/usr/bin/env bash
# Build the corpus from the mirrors and run Helm, pchart render and lint on it.
# Usage: scripts/corpus/run-all.sh PCHART_BINARY [main|holdout] [OUT_ROOT]
# (then: python3 scripts/corpus/hooks.py OUT_ROOT/main PCHART_BINARY; show.py for the diffs)
# Mirrors come from the `fetch` tool (see mirrors.sh); OUT_ROOT defaults to
# /work/corpus (outside the repository: public charts never enter it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pchart=$(realpath "$1"); set_=${2:-main}; root=${3:-/work/corpus}
. "$here/mirrors.sh"
deps=$(for r in $DEP_REPOS $MAIN_REPOS $HOLDOUT_REPOS; do echo "--dep-mirror $M/$r/repo"; done)
if [ "$set_" = main ]; then mirrors=$(main_mirrors); else mirrors=$(holdout_mirrors); fi
out="$root/$set_"
[ -f "$out/cases.json" ] || nice python3 "$here/build.py" "$out" $mirrors $deps
# Helm's recordings are kept between runs (add FRESH_HELM=1 to redo them,
# e.g. for a calm timing run); pchart and lint are always redone, since the
# binary is what changes.
nice python3 "$here/run.py" helm "$out" ${FRESH_HELM:+--fresh}
python3 "$here/run.py" pchart "$out" "$pchart" --fresh
nice python3 "$here/run.py" lint "$out" "$pchart" --fresh
python3 "$here/run.py" speed "$out" "$pchart"
python3 "$here/run.py" report "$out"
python3 "$here/lint_summary.py" "$out" --examples 1
