#!/usr/bin/env bash
# Fuzz every reader with libFuzzer (clang, ASan + UBSan): the SEG-Y header/geometry/trace reader, the label
# parsers (picks, horizon interval tables, classes.csv) and the HDF5 model and patch loaders.
# Usage: bash scripts/fuzz.sh [SECONDS per target, default 20]   (the long run: bash scripts/fuzz.sh 1800)
# Seeds come from tests/fuzz/corpus/; anything found is kept in build-fuzz/ as crash-*, and the run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
secs=${1:-20}
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzz=true -Dbuildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fno-sanitize-recover=all >/dev/null
fi
ninja -C build-fuzz >/dev/null
status=0
for t in segy labels model; do
  work=$(mktemp -d)
  cp tests/fuzz/corpus/$t/* "$work/"
  log=build-fuzz/fuzz-$t.log
  if ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 \
     ./build-fuzz/tests/fuzz_$t -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="build-fuzz/crash-$t-" "$work" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz_$t: $runs executions in ${secs} s, no crash"
  else
    echo "fuzz_$t: FAILED, see $log and build-fuzz/crash-$t-*"
    tail -30 "$log"
    status=1
  fi
  rm -rf "$work"
done
exit $status
