#!/usr/bin/env bash
# The README's multi-scale figures on the real F3 inline 362 (../shared/realdata, see its SOURCES.md): three
# horizon-bounded zones from the line's two interpreted horizons, given to ingest as a horizon-interval table;
# training on crosslines 300-799 (validation block 700-799 inside it), scored blind on crosslines 1000-1250, far
# enough that no training patch reaches them (a coarse view of 16 sees their seismic, never their labels). Runs: one
# scale at 65 x 65, one at 129 x 129 with a fourth conv-pool block, and 65 x 65 at --scales 1,4 (a 257 x 257
# window), 1,8, 1,4,16 and 1,4,8,16.
# Usage: scripts/f3_scales.sh [OUT_DIR] [which: all (65, 129, 1,4, 1,8, 1,4,16, 1,4,8,16) | 65 | 129 | scales (1,4) |
# another list such as 1,8,16]; environment:
# PER_CLASS (patches per zone, default 1000), EPOCHS (default 12), THREADS (default 2), SEED (training, default 1). Skips (exit 0) without the
# data. Appends one line per run to OUT_DIR/results.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
R=${FACIES_REALDATA:-../shared/realdata}
F3="$R/f3-inline362/derived/f3_inline362.sgy"
H="$R/f3-inline362/derived/inline362_horizons_top_base.txt"
if [ ! -f "$F3" ] || [ ! -f "$H" ]; then
  echo "f3_scales: no real data at $R (FACIES_REALDATA): skipped"
  exit 0
fi
facies=${FACIES:-build/apps/facies}
out=${1:-f3-scales-out}
which=${2:-all}
threads=${THREADS:-2}
epochs=${EPOCHS:-12}
seed=${SEED:-1}
mkdir -p "$out"
cd "$out"
f="$OLDPWD/$facies"
case "$R" in /*) ;; *) R="$OLDPWD/$R"; F3="$OLDPWD/$F3"; H="$OLDPWD/$H" ;; esac

# The zones: above the top horizon, between the two, below the base (flat surfaces bound the line's top and bottom).
grep -v '^#' "$H" | awk '{ print $1, $2, 4 }' > h0.txt
grep -v '^#' "$H" | awk '{ print $1, $2, $3 }' > top.txt
grep -v '^#' "$H" | awk '{ print $1, $2, $4 }' > base.txt
grep -v '^#' "$H" | awk '{ print $1, $2, 1844 }' > h3.txt
printf 'top_horizon,base_horizon,facies\nh0.txt,top.txt,1\ntop.txt,base.txt,2\nbase.txt,h3.txt,3\n' > zones.csv
printf 'code,name,colour\n1,overburden,#92c5de\n2,interval,#f4a582\n3,below,#7b3294\n' > classes.csv

run() { # name, ingest options..., --, train options...
  local name=$1
  shift
  local ing=() tr=()
  while [ "$1" != -- ]; do ing+=("$1"); shift; done
  shift
  tr=("$@")
  echo "== $name"
  "$f" ingest "$F3" --labels zones.csv --classes classes.csv --crosslines 300:799 --per-class "${PER_CLASS:-1000}" \
    --out "$name.patches.h5" --quiet "${ing[@]}"
  local t0 t1
  t0=$(date +%s)
  "$f" train "$name.patches.h5" --out "$name.model.h5" --val-traces 700:799 --epochs "$epochs" --patience 5 \
    --augment --seed "$seed" --threads "$threads" --quiet "${tr[@]}"
  t1=$(date +%s)
  "$f" apply "$name.model.h5" "$F3" --out "$name.facies.sgy" --png "$name.png" --threads "$threads" --quiet
  "$f" eval "$name.facies.sgy" --labels zones.csv --crosslines 1000:1250 --json > "$name.eval.json"
  local acc
  acc=$(/usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["pixel_accuracy"])' \
    "$name.eval.json")
  echo "$name: training $((t1 - t0)) s, blind pixel accuracy (crosslines 1000-1250) $acc" | tee -a results.txt
}

if [ "$which" = all ] || [ "$which" = 65 ]; then
  run single65 --patch 65 --
fi
if [ "$which" = all ] || [ "$which" = 129 ]; then
  run single129 --patch 129 -- --arch conv32-pool-conv64-pool-conv128-pool-conv128-pool-flatten-dense128-dropout0.5-dense
fi
if [ "$which" = all ] || [ "$which" = scales ]; then
  run scales14 --patch 65 --scales 1,4 --
fi
if [ "$which" = all ]; then
  run scales1_8 --patch 65 --scales 1,8 --
  run scales1_4_16 --patch 65 --scales 1,4,16 --
  run scales1_4_8_16 --patch 65 --scales 1,4,8,16 --
fi
case "$which" in
  1,*) run "scales${which//,/_}" --patch 65 --scales "$which" -- ;; # another list, e.g. 1,8
esac
