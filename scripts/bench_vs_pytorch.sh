#!/usr/bin/env bash
# facies side by side with the reference PyTorch scripts in ../shared/bench, one right after the other:
#  - training throughput (bench_train against torch_train_bench.py), default and tuned, at 1 and 2 threads;
#  - apply: whole-process `facies apply` of one 951 x 462 section with the reference network (fast and direct
#    methods) against torch_infer_bench.py's dense ('dilated') pass in the tuned environment, 2 threads. PyTorch's
#    figure is its in-process time for the section (imports and model set-up not counted), facies's is the whole
#    process (reading the SEG-Y, normalising, writing the facies SEG-Y): the comparison favours PyTorch.
# Needs python3-torch (Debian) for the PyTorch half: apt-get install -y python3-torch libtcmalloc-minimal4.
# Usage: scripts/bench_vs_pytorch.sh [TRAIN_SECONDS (15)] [PARTS (train,apply)] [APPLY_RUNS (3)]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
ref=${FACIES_TORCH_BENCH:-../shared/bench}
secs=${1:-15}
parts=${2:-train,apply}
runs=${3:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
facies=$PWD/build/apps/facies
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install time" >&2; exit 1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
have_torch=1
/usr/bin/python3 -c 'import torch' 2>/dev/null || { have_torch=0; echo "python3-torch is not installed: PyTorch half skipped"; }
# "Tuned" PyTorch: OpenBLAS's own threads off, tcmalloc, and on AVX-512 CPUs the SkylakeX kernel that Debian's
# OpenBLAS does not pick by itself there (on other CPUs OpenBLAS's own choice is kept: SkylakeX would not run).
tuned_env=(env OPENBLAS_NUM_THREADS=1 LD_PRELOAD=libtcmalloc_minimal.so.4)
grep -qw avx512f /proc/cpuinfo && tuned_env+=(OPENBLAS_CORETYPE=SkylakeX)

# The apply half: seconds of one whole `facies apply` run (median of $runs).
# Median wall seconds of $runs whole-process applies, and the largest peak RSS (MB) among them: "SECONDS MB".
apply_seconds() {
  local t=() peak=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$out/time" \
      "$facies" apply "$out/m.h5" "$out/section/survey.sgy" --out "$out/f.sgy" --threads 2 --quiet "$@" >/dev/null
    local secs kb
    read -r secs kb <"$out/time"
    t+=("$secs")
    peak=$((kb > peak ? kb : peak))
  done
  printf '%s %s\n' "$(printf '%s\n' "${t[@]}" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')" \
    "$((peak / 1024))"
}
bench_apply_part() {
  # A section the size of an F3 inline (951 traces x 462 samples) and a model of the reference network (65 x 65
  # patches give the same dense network as PyTorch's 64 x 64: span 62, 6 x 6 x 128 before the first dense layer).
  "$facies" synth "$out/section" --inlines 1 --crosslines 951 --samples 462 --quiet
  "$facies" synth "$out/train" --inlines 12 --crosslines 96 --samples 160 --quiet
  "$facies" ingest "$out/train/survey.sgy" --labels "$out/train/labels.sgy" --per-class 300 --out "$out/p.h5" --quiet
  "$facies" train "$out/p.h5" --out "$out/m.h5" --epochs 1 --val-fraction 0.25 --quiet
  local fast direct torch="" fast_mb direct_mb torch_mb=""
  read -r fast fast_mb < <(apply_seconds)
  read -r direct direct_mb < <(apply_seconds --method direct)
  if [ $have_torch = 1 ]; then
    "${tuned_env[@]}" /usr/bin/python3 "$ref/torch_infer_bench.py" --threads 2 --methods dilated --reps 2 \
      --json "$out/infer.json" >/dev/null
    torch=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['dilated']['seconds_median'])" "$out/infer.json")
    torch_mb=$(/usr/bin/python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['peak_rss_mb']))" "$out/infer.json")
  fi
  echo
  echo "apply, one 951 x 462 section, 2 threads (facies: whole process, median of $runs)"
  printf '%-28s %10s %14s %14s\n' run seconds "vs PyTorch" "peak RSS MB"
  for row in "facies --method fast:$fast:$fast_mb" "facies --method direct:$direct:$direct_mb" \
    "PyTorch dense, tuned:$torch:$torch_mb"; do
    local name=${row%%:*} rest=${row#*:}
    local s=${rest%%:*} mb=${rest##*:}
    [ -n "$s" ] || continue
    if [ -n "$torch" ]; then
      printf '%-28s %10.2f %13.2fx %14s\n' "$name" "$s" "$(awk "BEGIN{print $torch / $s}")" "$mb"
    else
      printf '%-28s %10.2f %14s %14s\n' "$name" "$s" - "$mb"
    fi
  done
  printf 'fast against direct: %.2fx\n' "$(awk "BEGIN{print $direct / $fast}")"
}

if [[ ,$parts, == *,apply,* ]]; then
  bench_apply_part
fi
[[ ,$parts, == *,train,* ]] || exit 0
echo
build/bench/bench_train "$secs" | tee "$out/facies.txt"
[ $have_torch = 1 ] || exit 0
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
