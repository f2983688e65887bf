#!/usr/bin/env bash
# Fuzz pchart with AFL++ (cargo-afl) on the stable toolchain.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     fuzz each target SECONDS (default 60)
#   scripts/fuzz.sh --seeds                    rebuild fuzz/corpus from the test cases
#
# Targets (fuzz/src/lib.rs, one AFL++ wrapper each in fuzz/src/bin/):
# template_parse, template_exec, yaml_read, strvals_set, chart_load; default
# all five, one after the other on one core. Seeds: fuzz/corpus/TARGET;
# dictionaries: fuzz/dict. Findings: fuzz/out/TARGET/default/{crashes,hangs}
# (git-ignored; a later run on the same target resumes from its queue).
#
# Exit status 1 when any target has a crash, a seed that crashes, or a hang:
# an input that took over HANG_MS (default 2000) under AFL++ and still runs
# after CONFIRM_S (default 10) seconds on its own. A slow input that ends
# is only reported.
# Each finding is printed with its path and base64, to reproduce it from a
# CI log: `base64 -d > x; fuzz/target/<host>/release/TARGET < x`.
#
# Long campaigns: `nice -n 19 scripts/fuzz.sh 3600 template_exec`; on
# several cores start `cargo afl fuzz -M main ...` and `-S sN ...` instances
# on the same -o directory (AFL++ docs). Every crash becomes a regression
# test in tests/integration/fuzz_regressions.rs.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export CARGO_TERM_COLOR=never
all=(template_parse template_exec yaml_read strvals_set chart_load)
# .cargo/config.toml sets build.target to the host tuple: binaries land in
# target/<host>/release.
host=$(rustc -vV | sed -n 's/^host: //p')
bin="${CARGO_TARGET_DIR:-target}/$host/release"

# cargo-afl 0.18.2 matches the `afl` crate in fuzz/Cargo.lock; installing
# it also builds the AFL++ runtime for this rustc.
afl_version=0.18.2
if ! cargo afl --version 2>/dev/null | grep -q "$afl_version"; then
  cargo install cargo-afl --locked --force --version "$afl_version"
fi
cargo afl config --build >/dev/null 2>&1 || true # already built by install

export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_AUTORESUME=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1

if [ "${1:-}" = "--seeds" ]; then
  cargo afl build --release
  raw=out/seeds-raw
  rm -rf "$raw"
  python3 make_seeds.py "$raw"
  for t in "${all[@]}"; do
    mkdir -p "corpus/$t"
    for f in corpus/"$t"/*; do # keep what is there (earlier finds, hand-written seeds)
      [ -f "$f" ] && cp "$f" "$raw/$t/c-$(basename "$f" | sed 's/^c-//')"
    done
    rm -rf "out/maps-$t" "out/cmin-$t"
    cargo afl showmap -q -i "$raw/$t" -o "out/maps-$t" -t 5000 -- "$bin/$t" >/dev/null 2>&1 || true
    python3 cmin.py "out/maps-$t" "$raw/$t" "out/cmin-$t"
    rm -rf "corpus/$t"
    mv "out/cmin-$t" "corpus/$t"
    echo "$t: $(ls "corpus/$t" | wc -l) seeds"
  done
  exit 0
fi

secs="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
hang_ms="${HANG_MS:-2000}"
confirm_s="${CONFIRM_S:-10}"

cargo afl build --release

dicts() {
  case "$1" in
    template_parse | template_exec) echo "-x dict/template.dict" ;;
    yaml_read) echo "-x dict/yaml.dict" ;;
    strvals_set) echo "-x dict/strvals.dict" ;;
    chart_load) echo "-x dict/chart.dict -x dict/template.dict" ;;
  esac
}

show() { # a finding: path, size, base64
  echo "  $1 ($(wc -c <"$1") bytes), base64:"
  base64 -w 76 "$1" | sed 's/^/    /'
}

# Replay every seed of target $1 alone; print and fail on those that crash
# or run past CONFIRM_S seconds.
replay_seeds() {
  local f rc bad=0
  for f in "corpus/$1"/*; do
    rc=0
    timeout "$confirm_s" "$bin/$1" <"$f" >/dev/null 2>&1 || rc=$?
    [ "$rc" = 0 ] && continue
    echo "SEED FAILS in $1 (exit $rc; 124 is a hang):"
    show "$f"
    bad=1
  done
  return $bad
}

stat_of() { awk -F' *: *' -v k="$1" '$1==k{print $2}' "$2" 2>/dev/null || true; }

status=0
for t in "${targets[@]}"; do
  [ -d "corpus/$t" ] || { echo "unknown target: $t" >&2; exit 2; }
  mkdir -p "out/$t"
  # -V: stop after SECONDS of fuzzing; -t: an input running longer is a hang.
  # shellcheck disable=SC2046
  if ! cargo afl fuzz -i "corpus/$t" -o "out/$t" -V "$secs" -t "$hang_ms" $(dicts "$t") \
    "$bin/$t" >"out/$t.log" 2>&1; then
    echo "$t: afl-fuzz failed; the end of out/$t.log:"
    tail -n 30 "out/$t.log"
    replay_seeds "$t" || true
    status=1
    continue
  fi
  # AFL++ skips seeds that crash or time out in its dry run (a warning in
  # the log): replay them, so a regression on a seed fails too.
  if grep -q 'due to timeouts or crashes' "out/$t.log"; then
    echo "$t: AFL++ skipped seeds that crash or time out; replaying them"
    replay_seeds "$t" || status=1
  fi
  stats="out/$t/default/fuzzer_stats"
  echo "$t: ${secs}s, $(stat_of execs_done "$stats") executions," \
    "$(stat_of corpus_count "$stats") in corpus, $(stat_of saved_crashes "$stats") crashes," \
    "$(stat_of saved_hangs "$stats") hangs"
  for f in "out/$t/default/crashes"/id:*; do
    [ -e "$f" ] || continue
    echo "CRASH in $t:"
    show "$f"
    status=1
  done
  for f in "out/$t/default/hangs"/id:*; do
    [ -e "$f" ] || continue
    if timeout "$confirm_s" "$bin/$t" <"$f" >/dev/null 2>&1; then
      echo "slow input in $t (over ${hang_ms} ms under AFL++, ends within ${confirm_s} s alone):"
      show "$f"
    else
      rc=$?
      if [ "$rc" = 124 ]; then
        echo "HANG in $t (still running after ${confirm_s} s):"
      else
        echo "CRASH in $t (exit $rc when replaying a hang):"
      fi
      show "$f"
      status=1
    fi
  done
done
exit $status
