# facies train --memory: a dataset larger than the bound is streamed from the file; the same seed gives the same
# weights, a resumed run those of an uninterrupted one, two MPI ranks those of one process; a patch file truncated
# or written to while training ends the run with one line, the best model so far intact, and --resume carries on.
. "$(dirname "$0")/lib.sh"
cd "$work"
py=/usr/bin/python3
"$FACIES" synth s --inlines 16 --crosslines 30 --samples 64 --quiet || bad "synth"
# 1200 patches of 21 x 21: 2.1 MB as float32, so --memory 1 streams them in windows of 288.
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --classes s/classes.csv --patch 21 --per-class 200 --out p.h5 \
  --quiet || bad "ingest"
arch=conv8-pool-flatten-dense16-dropout0.3-dense
t=(--arch $arch --threads 1 --patience 0 --memory 1)

# same_weights A B: the layers' datasets of two models are equal (exactly, or within TOL)
same_weights() {
  "$py" - "$@" <<'PY'
import os, sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
tol = float(os.environ.get("TOL", "0"))
names = []
a["layers"].visititems(lambda n, o: names.append("layers/" + n) if isinstance(o, h5py.Dataset) else None)
assert names
for n in names:
    x, y = a[n][()], b[n][()]
    if not (np.array_equal(x, y) if tol == 0 else np.allclose(x, y, rtol=0, atol=tol)):
        sys.exit("%s differs" % n)
PY
}

expect_exit 0 -- "$FACIES" train p.h5 --out a.h5 "${t[@]}" --epochs 3 --augment --balance sample
grep -q 'exceed --memory 1 MB: streaming them from p.h5, 288 at a time' "$work/err" && ok ||
  bad "streaming not reported: $(cat "$work/err")"
grep -q 'validation lines' "$work/err" && grep -q '^epoch   3/3' "$work/out" && ok || bad "streamed run: $(cat "$work/out")"
expect_exit 0 -- "$FACIES" train p.h5 --out b.h5 "${t[@]}" --epochs 3 --augment --balance sample --quiet
same_weights a.checkpoint.h5 b.checkpoint.h5 && ok || bad "same seed, other weights when streamed"
expect_exit 0 -- "$FACIES" train p.h5 --out c.h5 "${t[@]}" --epochs 2 --augment --balance sample --quiet
# Streamed, --memory sets the windows the order is drawn in: a resume with another bound is refused.
expect_exit 2 -- "$FACIES" train p.h5 --out c.h5 "${t[@]}" --epochs 3 --augment --balance sample --resume --memory 2
grep -q 'other options: memory 1 (now 2); resume' "$work/err" && ok || bad "resume with another --memory: $(cat "$work/err")"
expect_exit 0 -- "$FACIES" train p.h5 --out c.h5 "${t[@]}" --epochs 3 --augment --balance sample --resume --quiet
same_weights a.checkpoint.h5 c.checkpoint.h5 && ok || bad "streamed resume differs from an uninterrupted run"
# The seed draws the order: another seed, other weights (the comparison can fail).
expect_exit 0 -- "$FACIES" train p.h5 --out d.h5 "${t[@]}" --epochs 3 --augment --balance sample --seed 2 --quiet
same_weights a.checkpoint.h5 d.checkpoint.h5 && bad "another seed gave the same weights" || ok
# A bound that does not hold two batches is refused as usage.
expect_exit 2 -- "$FACIES" train p.h5 --out x.h5 --memory 1 --batch 400
grep -q 'does not hold two batches' "$work/err" && ok || bad "small bound: $(cat "$work/err")"
expect_exit 2 -- "$FACIES" train p.h5 --out x.h5 --memory 0

# Two ranks, each reading only its rows, take the steps of one process.
if mpi_ready; then
  expect_exit 0 -- "$FACIES" train p.h5 --out m1.h5 "${t[@]}" --epochs 2 --quiet
  expect_exit 0 -- mpi2 "$FACIES" train p.h5 --out m2.h5 "${t[@]}" --epochs 2 --quiet
  TOL=1e-4 same_weights m1.h5 m2.h5 && ok || bad "streamed on 2 ranks differs from one process"
fi

# fault HOW: train on a copy of p.h5, spoil the copy (HOW) once the first epoch is saved; the run must end with one
# line naming the file and what to do, leave a model that loads, and resume on the restored file to the weights of
# an uninterrupted run.
fault() {
  local how=$1 i epochs
  cp p.h5 q.h5
  rm -f f.h5 f.checkpoint.h5 f.history.csv
  "$FACIES" train q.h5 --out f.h5 "${t[@]}" --epochs 1000 --quiet >"$work/out" 2>"$work/err" &
  local pid=$!
  for i in $(seq 1 3000); do [ -s f.history.csv ] && break; sleep 0.02; done
  case $how in
  truncate) truncate -s 500000 q.h5 ;;
  overwrite) dd if=/dev/urandom of=q.h5 bs=4096 seek=100 count=4 conv=notrunc status=none ;;
  esac
  wait $pid
  local rc=$?
  [ "$rc" = 1 ] && ok || bad "$how: exit $rc (wanted 1): $(cat "$work/err")"
  expect_one_line_naming q.h5
  grep -q "q.h5: the file was $2 while training.*best model so far (epoch [0-9]*) is in f.h5.*--resume" "$work/err" &&
    ok || bad "$how: the line says what happened and what to do: $(cat "$work/err")"
  ls ./*.partial >/dev/null 2>&1 && bad "$how: temporary files left" || ok
  expect_exit 0 -- "$FACIES" summary f.h5
  cp p.h5 q.h5
  epochs=$(($(wc -l <f.history.csv) + 1)) # one more than were saved
  expect_exit 0 -- "$FACIES" train q.h5 --out f.h5 "${t[@]}" --epochs $epochs --resume --quiet
  expect_exit 0 -- "$FACIES" train q.h5 --out g.h5 "${t[@]}" --epochs $epochs --quiet
  same_weights f.checkpoint.h5 g.checkpoint.h5 && ok || bad "$how: resumed after the fault, other weights"
}
fault truncate truncated
fault overwrite "written to"

# A file replaced by another (renamed over it, as ingest does) leaves the open one to read: training goes on.
cp p.h5 q.h5
rm -f f.h5 f.history.csv
"$FACIES" train q.h5 --out f.h5 "${t[@]}" --epochs 20 --quiet >"$work/out" 2>"$work/err" &
pid=$!
for i in $(seq 1 3000); do [ -s f.history.csv ] && break; sleep 0.02; done
cp p.h5 q.new && truncate -s 500000 q.new && mv q.new q.h5
wait $pid && ok || bad "a patch file replaced while training stopped it: $(cat "$work/err")"

# A patch stored as NaN (damaged before training began) is named by its row.
cp p.h5 n.h5
"$py" -c "
import h5py, numpy as np
f = h5py.File('n.h5', 'r+'); f['patches'][7, 0, 3, 3] = np.nan" || bad "could not damage n.h5"
expect_exit 1 -- "$FACIES" train n.h5 --out n-model.h5 "${t[@]}" --epochs 2 --quiet
grep -q 'n.h5: row 7 of /patches holds a value that is not a number' "$work/err" && ok ||
  bad "NaN patch: $(cat "$work/err")"
finish
