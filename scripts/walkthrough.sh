#!/usr/bin/env bash
# Follow the README's walk-through ("Golden files and the pre-commit hook")
# word for word in a fresh git repository: the commands run as written,
# the files are written as shown, with real git and pre-commit (installed
# with pip when missing) and this checkout's pchart on the PATH.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cargo build --quiet
host="$(rustc -vV | sed -n 's/^host: //p')"
bin="$root/target/$host/debug"
[ -x "$bin/pchart" ] || bin="$root/target/debug"
[ -x "$bin/pchart" ] || { echo "walkthrough: no pchart binary under target/" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/home"
if ! command -v pre-commit > /dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check pre-commit
  # pip may put the script outside the PATH; the module is enough.
  command -v pre-commit > /dev/null ||
    printf '#!/bin/sh\nexec python3 -m pre_commit "$@"\n' > "$work/bin/pre-commit"
  chmod +x "$work/bin/pre-commit" 2> /dev/null || true
fi

# WALKTHROUGH_README: another copy of the README, to check this script.
python3 scripts/walkthrough.py "${WALKTHROUGH_README:-README.md}" > "$work/steps.sh"
# A developer's machine: no CI variable (CI never writes golden files), a
# git identity, no colour, pre-commit's cache inside the scratch directory.
cd "$work"
env -u CI -u GIT_DIR -u GIT_INDEX_FILE -u GIT_WORK_TREE \
  HOME="$work/home" \
  PATH="$bin:$work/bin:$PATH" \
  NO_COLOR=1 \
  PRE_COMMIT_HOME="$work/cache" \
  GIT_CONFIG_GLOBAL="$work/gitconfig" \
  GIT_CONFIG_NOSYSTEM=1 \
  GIT_AUTHOR_NAME=Dev GIT_AUTHOR_EMAIL=dev@example.com \
  GIT_COMMITTER_NAME=Dev GIT_COMMITTER_EMAIL=dev@example.com \
  WALK_LOG="$work/out.log" \
  bash "$work/steps.sh"
