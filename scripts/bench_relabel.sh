#!/usr/bin/env bash
# Where to label next, measured: the relabelling loop on a synth survey with three ways of choosing lines.
#
# Labels start on two inlines of a pool (inlines 1000..1030); each round adds the labels of L more lines, taken
# from the synth's label volume as an interpreter would draw them (ingest --lines/--crosslines of the chosen line,
# --append), and retrains with --init from the last round's model. Lines are chosen
#   suggest: the L best lines of `facies suggest` (default --min-distance 3) on the last model's probabilities over
#            the pool (inlines or crosslines; a crossline is labelled within the pool's inlines only);
#   even:    the inlines farthest from every labelled inline (filling the largest gaps);
#   random:  inlines drawn at random (seeded) from the unlabelled ones.
# Inline 1031, labelled for every strategy, is the validation line (train --val-lines); blind pixel accuracy is
# scored on inlines 1032..1039, which no strategy labels.
# Usage: scripts/bench_relabel.sh [WORKDIR] [ROUNDS] [LINES_PER_ROUND] [EPOCHS]
set -euo pipefail
cd "$(dirname "$0")/.."
# FACIES: a facies binary to use instead of building this tree's.
if [ -n "${FACIES:-}" ]; then facies=$FACIES; else
  bash scripts/build.sh >/dev/null
  facies=$PWD/build/apps/facies
fi
py=/usr/bin/python3
work=${1:-/tmp/facies-bench-relabel}
rounds=${2:-3}
per_round=${3:-2}
epochs=${4:-4}
arch=conv8-pool-conv16-pool-flatten-dense32-dense
pool=1000:1030
val=1031
blind=1032:1039
start=(1008 1023)
rm -rf "$work"
mkdir -p "$work"
cd "$work"
"$facies" synth s --inlines 40 --crosslines 40 --samples 96 --seed 7 --quiet

# ingest_line DATASET inline|crossline NUMBER [--append]: the labels of one line of the pool.
ingest_line() {
  local out=$1 o=$2 n=$3
  shift 3
  local sel=(--lines "$n:$n")
  [ "$o" = crossline ] && sel=(--lines "$pool" --crosslines "$n:$n")
  "$facies" ingest s/survey.sgy --labels s/labels.sgy --classes s/classes.csv --patch 25 --per-class 150 \
    --orientation both "${sel[@]}" --out "$out" --quiet "$@" 2>&1 | grep -v 'class.* without patches' >&2 || true
}

# train_round DIR ROUND: train (from the last round's model after round 0), apply over the pool and the blind
# inlines, print the blind pixel accuracy.
train_round() {
  local d=$1 r=$2 init=()
  [ "$r" -gt 0 ] && init=(--init "$d/m$((r - 1)).h5")
  "$facies" train "$d/p.h5" --out "$d/m$r.h5" --arch $arch --epochs "$epochs" --patience 0 --threads 2 \
    --val-lines "$val:$val" --allow-empty-classes --quiet "${init[@]}" >/dev/null
  "$facies" apply "$d/m$r.h5" s/survey.sgy --out "$d/f$r.sgy" --probabilities "$d/pr$r.h5" --threads 2 --quiet
  "$facies" eval "$d/f$r.sgy" --labels s/labels.sgy --lines "$blind" --json 2>/dev/null |
    "$py" -c 'import json, sys; print("%.4f" % json.load(sys.stdin)["pixel_accuracy"])'
}

# The labelled inlines and crosslines of a strategy, one "orientation number" a line, in $d/labelled.
choose() {
  local strategy=$1 d=$2 r=$3
  case $strategy in
  suggest)
    "$facies" suggest "$d/pr$((r - 1)).h5" --out "$d/sg$r.csv" --quiet
    "$py" - "$d/sg$r.csv" "$pool" "$per_round" <<'PY'
import csv, sys
lo, hi = map(int, sys.argv[2].split(":"))
rows = [r for r in csv.DictReader(open(sys.argv[1]))
        if r["orientation"] == "crossline" or lo <= int(r["line"]) <= hi]
for r in rows[: int(sys.argv[3])]:
    print(r["orientation"], r["line"])
PY
    ;;
  even | random)
    "$py" - "$strategy" "$d/labelled" "$pool" "$per_round" "$r" <<'PY'
import random, sys
strategy, labelled, pool, k, r = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
lo, hi = map(int, pool.split(":"))
have = [int(l.split()[1]) for l in open(labelled) if l.startswith("inline")]
free = [n for n in range(lo, hi + 1) if n not in have]
if strategy == "random":
    for n in random.Random(1000 + r).sample(free, k):
        print("inline", n)
else:
    for _ in range(k):
        n = max(free, key=lambda n: (min(abs(n - h) for h in have), -n))
        free.remove(n)
        have.append(n)
        print("inline", n)
PY
    ;;
  esac
}

declare -A acc
t0=$(date +%s)
for strategy in suggest even random; do
  d=$work/$strategy
  mkdir -p "$d"
  : >"$d/labelled"
  ingest_line "$d/p.h5" inline "$val"
  for n in "${start[@]}"; do
    ingest_line "$d/p.h5" inline "$n" --append
    echo "inline $n" >>"$d/labelled"
  done
  acc[$strategy,0]=$(train_round "$d" 0)
  for r in $(seq 1 "$rounds"); do
    choose "$strategy" "$d" "$r" >"$d/new$r"
    while read -r o n; do
      ingest_line "$d/p.h5" "$o" "$n" --append
      echo "$o $n" >>"$d/labelled"
    done <"$d/new$r"
    acc[$strategy,$r]=$(train_round "$d" "$r")
  done
done
t1=$(date +%s)

echo
echo "synth 40 x 40 x 96 (seed 7); labels start on inlines ${start[*]}; $per_round lines a round; $epochs epochs"
echo "a round, $arch, 25 x 25 patches, both orientations;"
echo "validation inline $val; blind pixel accuracy on inlines $blind; $(nproc) cores, $((t1 - t0)) s"
printf '%-8s' round
for strategy in suggest even random; do printf '%10s' "$strategy"; done
echo
for r in $(seq 0 "$rounds"); do
  printf '%-8s' "$r"
  for strategy in suggest even random; do printf '%10s' "${acc[$strategy,$r]}"; done
  echo
done
echo
for strategy in suggest even random; do
  echo "$strategy lines: $(tr '\n' ' ' <"$work/$strategy/labelled")"
done
