#!/usr/bin/env bash
# Fuzz every reader with libFuzzer (clang, ASan + UBSan): the SEG-Y header/geometry/trace reader, the label
# parsers (picks, horizon interval tables, classes.csv), label SEG-Y matched to a survey by line numbers, the HDF5
# model and patch loaders, and apply's resume state.
# Usage:
#   bash scripts/fuzz.sh [SECONDS per target, default 20]       the short run of scripts/test.sh
#   bash scripts/fuzz.sh --runs N [--max-secs S] [TARGET...]  a campaign: N executions per target (or S seconds,
#                                                               whichever comes first), then the corpus minimised
#                                                               (libFuzzer -merge=1) back into tests/fuzz/corpus/
# Seeds come from tests/fuzz/corpus/; anything found is kept in build-fuzz/ as crash-*, and the run fails. Prints
# one line per target: executions, seconds, executions/s, corpus files.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
all=(segy labels label_segy model state)
limit=(-max_total_time="${1:-20}")
campaign=0
if [ "${1:-}" = --runs ]; then
  limit=(-runs="$2")
  campaign=1
  shift 2
  if [ "${1:-}" = --max-secs ]; then
    limit+=(-max_total_time="$2")
    shift 2
  fi
  [ $# -gt 0 ] && all=("$@")
fi
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzz=true -Dbuildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fno-sanitize-recover=all >/dev/null
fi
ninja -C build-fuzz >/dev/null
status=0
for t in "${all[@]}"; do
  work=$(mktemp -d)
  cp tests/fuzz/corpus/$t/* "$work/"
  log=build-fuzz/fuzz-$t.log
  start=$(date +%s)
  if ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 \
     ./build-fuzz/tests/fuzz_$t "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="build-fuzz/crash-$t-" "$work" >"$log" 2>&1; then
    secs=$(($(date +%s) - start))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(grep -o 'DONE *cov: [0-9]* ft: [0-9]*' "$log" | tail -1 | sed 's/DONE *//')
    echo "fuzz_$t: $runs executions in $secs s ($rate/s), no crash; $cov; corpus $(ls "$work" | wc -l) files"
    if [ $campaign = 1 ]; then
      min=$(mktemp -d)
      ./build-fuzz/tests/fuzz_$t -merge=1 "$min" tests/fuzz/corpus/$t "$work" >>"$log" 2>&1
      rm -f tests/fuzz/corpus/$t/*
      cp "$min"/* tests/fuzz/corpus/$t/
      echo "fuzz_$t: minimised corpus: $(ls tests/fuzz/corpus/$t | wc -l) files, $(du -sh tests/fuzz/corpus/$t | cut -f1)"
      rm -rf "$min"
    fi
  else
    echo "fuzz_$t: FAILED, see $log and build-fuzz/crash-$t-*"
    tail -30 "$log"
    status=1
  fi
  rm -rf "$work"
done
exit $status
