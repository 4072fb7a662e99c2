#!/usr/bin/env bash
# Training throughput side by side: facies (bench_train) and the reference PyTorch script in ../shared/bench,
# default and tuned, at 1 and 2 threads, one right after the other. Needs python3-torch (Debian) for the
# PyTorch half: apt-get install -y python3-torch libtcmalloc-minimal4. Prints a table with the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
ref=${FACIES_TORCH_BENCH:-../shared/bench}
secs=${1:-15}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
build/bench/bench_train "$secs" | tee "$out/facies.txt"
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "python3-torch is not installed: PyTorch half skipped"
  exit 0
fi
tuned_env=(env OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=1 LD_PRELOAD=libtcmalloc_minimal.so.4)
for t in 1 2; do
  env -u OPENBLAS_CORETYPE /usr/bin/python3 "$ref/torch_train_bench.py" --threads $t --epochs 3 --json "$out/default$t.json" >/dev/null
  "${tuned_env[@]}" /usr/bin/python3 "$ref/torch_train_bench.py" --threads $t --epochs 3 --json "$out/tuned$t.json" >/dev/null
done
rate() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['median_patches_per_s'])" "$1"; }
echo
printf '%-8s %14s %16s %14s %12s %12s\n' threads "facies p/s" "PyTorch default" "PyTorch tuned" "vs default" "vs tuned"
for t in 1 2; do
  f=$(awk -v t=$t '$1 == t && $2 == "pooled" {print $3}' "$out/facies.txt")
  d=$(rate "$out/default$t.json"); u=$(rate "$out/tuned$t.json")
  printf '%-8s %14s %16s %14s %11.2fx %11.2fx\n' $t "$f" "$d" "$u" "$(awk "BEGIN{print $f/$d}")" "$(awk "BEGIN{print $f/$u}")"
done
