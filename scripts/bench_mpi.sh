#!/usr/bin/env bash
# MPI scaling benchmark: apply and train at 1 and 2 ranks on this machine, beside one process with 1 and with
# all threads, and the figures the README's scaling model needs (bytes read per rank, allreduce bytes per step).
# Usage: scripts/bench_mpi.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
facies=$PWD/build/apps/facies
"$facies" --version | grep -q 'with MPI' || { echo "facies was built without MPI (apt-get install libopenmpi-dev)"; exit 1; }
work=${1:-/tmp/facies-bench-mpi}
mkdir -p "$work"
[ "$(id -u)" = 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi=(mpirun --oversubscribe --mca btl self,vader,tcp --mca btl_tcp_if_include lo --mca oob_tcp_if_include lo)
IL=64 XL=240 NS=400
if [ ! -f "$work/s/survey.sgy" ]; then
  "$facies" synth "$work/s" --inlines $IL --crosslines $XL --samples $NS --quiet
  "$facies" ingest "$work/s/survey.sgy" --labels "$work/s/labels.sgy" --per-class 2000 --out "$work/p.h5" --quiet
  "$facies" train "$work/p.h5" --out "$work/m.h5" --epochs 1 --quiet # the reference network, for apply
fi
size=$(stat -c %s "$work/s/survey.sgy")
"$facies" summary "$work/m.h5" >"$work/summary"
params=$(sed -n 's/^Total params: //p' "$work/summary" | tr -d ,)
classes=$(sed -n 's/^classes: //p' "$work/summary" | tr , '\n' | wc -l)
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $("$facies" --version)"
echo "survey: $IL x $XL x $NS ($((size / 1000000)) MB); patches: $work/p.h5; network: $(sed -n 's/^input: \([^,]*\),.*/\1/p' "$work/summary"), $params params, $classes classes"
echo
printf '%-8s %-34s %10s %10s\n' verb run seconds speed-up
seconds() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk "BEGIN{print $t1 - $t0}"
}
row() {
  local verb=$1 name=$2 base=$3 secs=$4
  printf '%-8s %-34s %10.2f %9.2fx\n' "$verb" "$name" "$secs" "$(awk "BEGIN{print $base / $secs}")"
}
# LAUNCHER... -- OPTIONS...
apply() {
  local launch=()
  while [ "$1" != -- ]; do launch+=("$1"); shift; done; shift
  "${launch[@]}" apply "$work/m.h5" "$work/s/survey.sgy" --out "$work/f.sgy" --probabilities "$work/pr.h5" --quiet "$@"
}
train() {
  local launch=()
  while [ "$1" != -- ]; do launch+=("$1"); shift; done; shift
  "${launch[@]}" train "$work/p.h5" --out "$work/t.h5" --epochs 2 --patience 0 --quiet "$@"
}
a1=$(seconds apply "$facies" -- --threads 1)
row apply "1 process, 1 thread" "$a1" "$a1"
row apply "1 process, 2 threads" "$a1" "$(seconds apply "$facies" -- --threads 2)"
cp "$work/f.sgy" "$work/f1.sgy"
row apply "mpirun -n 2, 1 thread each" "$a1" "$(seconds apply "${mpi[@]}" -n 2 "$facies" -- --threads 1)"
cmp -s "$work/f.sgy" "$work/f1.sgy" || { echo "2-rank facies SEG-Y differs from one process"; exit 1; }
t1=$(seconds train "$facies" -- --threads 1)
row train "1 process, 1 thread" "$t1" "$t1"
row train "1 process, 2 threads" "$t1" "$(seconds train "$facies" -- --threads 2)"
row train "mpirun -n 2, 1 thread each" "$t1" "$(seconds train "${mpi[@]}" -n 2 "$facies" -- --threads 1)"
echo
echo "apply: each rank reads its own sections: $((size / IL / 1000)) kB per inline section, $((size / 2 / 1000000)) MB per rank at 2 ranks;"
echo "       rank 0 receives the others' probabilities: $XL x $NS x $classes x 4 B = $((XL * NS * classes * 4 / 1000)) kB per section."
echo "train: every step sums $params gradients ($((params * 4 / 1000)) kB of float32) with MPI_Allreduce; every rank reads"
echo "       the whole patch file ($(($(stat -c %s "$work/p.h5") / 1000000)) MB) once."
