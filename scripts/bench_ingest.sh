#!/usr/bin/env bash
# Ingest benchmark: a generated survey of at least 1 GB, labels from its label volume.
# Prints a table: patches/s, MB/s of SEG-Y read, peak memory. Usage: scripts/bench_ingest.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
facies=$PWD/build/apps/facies
work=${1:-/tmp/facies-bench-ingest}
mkdir -p "$work"
if [ ! -f "$work/big/survey.sgy" ]; then
  echo "generating a 1 GB survey in $work/big (once) ..."
  "$facies" synth "$work/big" --inlines 500 --crosslines 600 --samples 800 --quiet
fi
size=$(stat -c %s "$work/big/survey.sgy")
echo
echo "survey: $work/big/survey.sgy, $((size / 1000000)) MB, 500 x 600 x 800; $(nproc) cores"
printf '%-34s %10s %10s %12s %10s %12s\n' run patches seconds patches/s "MB/s" "peak MB"
run() {
  local name=$1; shift
  rm -f "$work/out.h5"
  /usr/bin/time -f '%e %M' -o "$work/time" "$facies" ingest "$work/big/survey.sgy" --out "$work/out.h5" "$@" >"$work/log" 2>/dev/null
  local secs kb patches mb
  read -r secs kb <"$work/time"
  patches=$(sed -n 's/.*: \([0-9]*\) patches.*/\1/p' "$work/log" | head -1)
  mb=$(sed -n 's/.* sections, \([0-9.]*\) MB of SEG-Y.*/\1/p' "$work/log")
  printf '%-34s %10s %10s %12.0f %10.0f %12.0f\n' "$name" "$patches" "$secs" \
    "$(awk "BEGIN{print $patches / $secs}")" "$(awk "BEGIN{print $mb / $secs}")" "$(awk "BEGIN{print $kb / 1024}")"
}
run "labels.sgy, 65x65, inline"          --labels "$work/big/labels.sgy" --per-class 20000
run "labels.sgy, 65x65, both"            --labels "$work/big/labels.sgy" --per-class 10000 --orientation both
run "picks.csv, 65x65, inline"           --labels "$work/big/picks.csv" --per-class 0
rm -f "$work/out.h5"
