#!/usr/bin/env bash
# The main job, end to end, on survey_samples/: what a user does with facies.
# Installs what is missing and builds first. Outputs go to demo-out/.
# Arguments go to ingest (e.g. scripts/demo.sh --dtype int8 to store the patches as int8).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
facies=build/apps/facies
out=demo-out
mkdir -p "$out"

echo "== facies info survey_samples/survey.sgy"
"$facies" info survey_samples/survey.sgy | tee "$out/info.txt"
echo
echo "== facies info survey_samples/labels.sgy (the interpreter's facies, one code per sample)"
"$facies" info survey_samples/labels.sgy --stats-traces 0

echo
echo "== facies synth $out/irregular (a variant with 10% of traces missing, little-endian int16)"
"$facies" synth "$out/irregular" --inlines 24 --crosslines 32 --missing 0.1 --little-endian --format int16 --seed 7
"$facies" info "$out/irregular/survey.sgy" --stats-traces 200

echo
echo "== facies ingest: patches around labelled samples of inlines 1000-1039 (1040-1047 stay blind)"
"$facies" ingest survey_samples/survey.sgy --labels survey_samples/labels.sgy \
  --classes survey_samples/classes.csv --lines 1000:1039 --per-class 4000 --out "$out/patches.h5" "$@"

echo
echo "== facies train: validation on a block of separate lines, best model kept"
"$facies" train "$out/patches.h5" --out "$out/model.h5" --epochs 10 --patience 4
"$facies" summary "$out/model.h5"

echo
echo "== facies apply: every sample of the survey, dense and exact"
"$facies" apply "$out/model.h5" survey_samples/survey.sgy --out "$out/facies.sgy" \
  --probabilities "$out/probabilities.h5" --confidence "$out/confidence.sgy" --png "$out/pictures"

echo
echo "== facies eval on the blind inlines 1040-1047 (never ingested)"
"$facies" eval "$out/facies.sgy" --labels survey_samples/labels.sgy --lines 1040:1047 \
  --classes survey_samples/classes.csv

echo
echo "== facies map: the dominant facies in the 40 ms below horizon H1 (the channels), in plan view"
"$facies" map "$out/facies.sgy" --horizon survey_samples/horizons/H1.txt --window 0:40 --out "$out/map_H1"
echo
echo "pictures: $(ls "$out"/pictures/*.png | tr '\n' ' ')"
echo "training history plot: $out/model.history.png"
echo "horizon map: $out/map_H1.png (numbers in $out/map_H1.csv)"

echo
echo "demo finished: outputs in $out/"
