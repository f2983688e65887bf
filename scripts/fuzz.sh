#!/usr/bin/env bash
# Fuzz pchart with AFL++ (cargo-afl) on the stable toolchain.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Runs each target (default: all four) for SECONDS (default 60), one after
# the other, and prints executions and crashes. Targets: template_parse,
# template_exec, yaml_read, strvals_set (fuzz/src/bin/). Seeds are in
# fuzz/corpus/TARGET; findings go to fuzz/out/TARGET/default/{crashes,hangs}.
# Long campaigns: `scripts/fuzz.sh 28800 template_exec` (8 hours), or run
# several instances by hand with `cargo afl fuzz -M/-S` (see AFL++ docs).
# Every crash found becomes a regression test in tests/fuzz_regressions.rs.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(template_parse template_exec yaml_read strvals_set)
command -v cargo-afl >/dev/null || cargo install cargo-afl --locked
cargo afl build --release
export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
status=0
for t in "${targets[@]}"; do
  mkdir -p "out/$t"
  # -V: stop after SECONDS; -t: 2 s per input is a hang.
  cargo afl fuzz -i "corpus/$t" -o "out/$t" -V "$secs" -t 2000 "target/release/$t" >"out/$t.log" 2>&1 || true
  stats="out/$t/default/fuzzer_stats"
  execs=$(awk -F' *: *' '/^execs_done/{print $2}' "$stats" 2>/dev/null || echo 0)
  crashes=$(awk -F' *: *' '/^saved_crashes/{print $2}' "$stats" 2>/dev/null || echo "?")
  hangs=$(awk -F' *: *' '/^saved_hangs/{print $2}' "$stats" 2>/dev/null || echo "?")
  echo "$t: ${secs}s, $execs executions, $crashes crashes, $hangs hangs"
  [ "$crashes" = "0" ] || status=1
done
exit $status
