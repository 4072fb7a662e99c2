#!/usr/bin/env bash
# Apply over an F3-size volume: a survey of INLINES x 951 crosslines x 462 samples (651 inlines by default, 1.1 GB
# as IEEE floats) made by `facies synth`, classified by the reference network (trained for one epoch on a small
# synth: the speed does not depend on the weights), with probabilities, as one whole process. Prints seconds per
# section, samples per second and the process's peak resident memory (GNU time), for each method asked.
# Usage: scripts/bench_apply_volume.sh [INLINES (651)] [METHODS (fast)] [WORKDIR (/tmp/facies-bench-volume)]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
facies=$PWD/build/apps/facies
inlines=${1:-651}
methods=${2:-fast}
work=${3:-/tmp/facies-bench-volume}
mkdir -p "$work"
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install time" >&2; exit 1; }
vol=$work/v$inlines
if [ ! -f "$vol/survey.sgy" ]; then
  "$facies" synth "$vol" --inlines "$inlines" --crosslines 951 --samples 462 --format ieee --quiet
fi
if [ ! -f "$work/m.h5" ]; then
  "$facies" synth "$work/train" --inlines 12 --crosslines 96 --samples 160 --quiet
  "$facies" ingest "$work/train/survey.sgy" --labels "$work/train/labels.sgy" --per-class 300 --out "$work/p.h5" --quiet
  "$facies" train "$work/p.h5" --out "$work/m.h5" --epochs 1 --val-fraction 0.25 --quiet
fi
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $("$facies" --version)"
echo "survey: $inlines inlines x 951 crosslines x 462 samples ($(($(stat -c %s "$vol/survey.sgy") / 1000000)) MB)"
printf '%-8s %10s %12s %14s %14s\n' method seconds s/section samples/s "peak RSS MB"
for m in ${methods//,/ }; do
  rm -f "$work/f.sgy" "$work/pr.h5"
  /usr/bin/time -f '%e %M' -o "$work/time" "$facies" apply "$work/m.h5" "$vol/survey.sgy" --out "$work/f.sgy" \
    --probabilities "$work/pr.h5" --method "$m" --quiet
  read -r secs kb <"$work/time"
  awk -v m="$m" -v s="$secs" -v kb="$kb" -v n="$inlines" 'BEGIN {
    printf "%-8s %10.1f %12.3f %14.0f %14.0f\n", m, s, s / n, n * 951 * 462 / s, kb / 1024 }'
done
