#!/usr/bin/env bash
# Streamed training benchmark (issue 21): a patch dataset of PATCHES 65 x 65 patches (default 250000: 4.2 GB as
# float32, stored as float16 by ingest) from a generated survey; one epoch with --memory MEMORY (default 256) prints
# its peak RSS and patches/s, then one epoch in memory on a tenth of the patches (a subset that fits), and the ratio.
# Validation takes a tenth of the lines (streamed too; not in patches/s, which counts training batches only).
# Targets at full size: peak RSS <= 600 MB streamed, patches/s within 15% of in-memory.
# Usage: scripts/bench_train_stream.sh [PATCHES [MEMORY_MB [WORKDIR]]]   (e.g. 6000 16 for a quick run)
# Set ARCH to train another network than the default for 65 x 65, THREADS for the threads (default all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
facies=$PWD/build/apps/facies
patches=${1:-250000}
memory=${2:-256}
work=${3:-/tmp/facies-bench-train-stream}
threads=${THREADS:-$(nproc)}
arch=()
[ -n "${ARCH:-}" ] && arch=(--arch "$ARCH")
mkdir -p "$work"
# About 2000 patches an inline across six facies; the rarest keeps enough samples for its share.
inlines=$(((patches + 1999) / 2000))
[ "$inlines" -lt 16 ] && inlines=16
survey=$work/s$inlines
if [ ! -f "$survey/survey.sgy" ]; then
  echo "generating a survey of $inlines x 200 x 300 in $survey (once) ..."
  "$facies" synth "$survey" --inlines "$inlines" --crosslines 200 --samples 300 --quiet
fi
classes=$(($(wc -l <"$survey/classes.csv") - 1))
# ingest DATASET COUNT: COUNT patches (per class COUNT / classes, or fewer where a class has fewer samples).
ingest() {
  if [ ! -f "$1" ]; then
    echo "ingesting $2 patches into $1 (once) ..."
    "$facies" ingest "$survey/survey.sgy" --labels "$survey/labels.sgy" --classes "$survey/classes.csv" \
      --patch 65 --per-class $(($2 / classes)) --out "$1" --quiet
  fi
}
big=$work/big-$patches.h5
small=$work/small-$((patches / 10)).h5
ingest "$big" "$patches"
ingest "$small" $((patches / 10))

# run NAME DATASET OPTION...: one epoch; prints the row and sets rate (patches/s) and rss (peak MB).
printf '%-10s %10s %10s %8s %10s %12s %10s\n' run patches "float32 MB" memory seconds patches/s "peak MB"
run() {
  local name=$1 data=$2 secs kb n memcol=default
  shift 2
  [ "${1:-}" = --memory ] && memcol=$2
  rm -f "$work"/m.*
  /usr/bin/time -f '%e %M' -o "$work/time" "$facies" train "$data" --out "$work/m.h5" --epochs 1 --patience 0 --val-fraction 0.1 \
    --threads "$threads" "${arch[@]}" "$@" >"$work/log" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r secs kb <"$work/time"
  rate=$(sed -n 's/.*; \([0-9]*\) patches\/s over.*/\1/p' "$work/log")
  n=$(sed -n 's/.* over \([0-9]*\) training patches.*/\1/p' "$work/log")
  rss=$((kb / 1024))
  local mb
  mb=$(/usr/bin/python3 -c "import h5py, sys; s = h5py.File(sys.argv[1], 'r')['patches'].shape
print(round(s[0] * s[1] * s[2] * s[3] * 4 / 2**20))" "$data")
  printf '%-10s %10s %10s %8s %10s %12s %10s\n' "$name" "$n" "$mb" "$memcol" "$secs" "$rate" "$rss"
}
run streamed "$big" --memory "$memory"
grep -q 'streaming them from' "$work/err" || { echo "the large dataset was not streamed: $(cat "$work/err")" >&2; exit 1; }
stream_rate=$rate stream_rss=$rss
run in-memory "$small"
grep -q 'streaming them from' "$work/err" && { echo "the subset was streamed; it should fit" >&2; exit 1; }
echo
echo "streamed: peak RSS $stream_rss MB (target <= 600 at --memory 256), $stream_rate patches/s"
echo "in memory: $rate patches/s; streamed / in memory = $(awk "BEGIN{printf \"%.3f\", $stream_rate / $rate}") (target >= 0.85)"
echo "($(nproc) cores, --threads $threads; $(uptime | sed 's/.*load/load/'))"
