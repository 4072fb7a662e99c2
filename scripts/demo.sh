#!/usr/bin/env bash
# The main job, end to end, on survey_samples/: what a user does with facies.
# Installs what is missing and builds first. Outputs go to demo-out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
facies=build/apps/facies
out=demo-out
mkdir -p "$out"

# Until `facies synth` lands, describe a small test survey.
build/tests/make_fixture "$out/sample.sgy" holes
echo "== facies info $out/sample.sgy"
"$facies" info "$out/sample.sgy" | tee "$out/info.txt"
echo
echo "demo finished: outputs in $out/"
