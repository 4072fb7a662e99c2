# The same commands on MPI (mpirun -n 2 and 3, loopback only): ingest, train and apply give what one process
# gives (datasets and SEG-Y byte for byte, weights to float tolerance); apply resumes per rank; a failure ends
# the whole job with a clear line instead of a hang. Skipped when facies was built without MPI.
. "$(dirname "$0")/lib.sh"
if ! "$FACIES" --version | grep -q 'with MPI' || ! command -v mpirun >/dev/null; then
  echo "facies built without MPI (or no mpirun): skipped"
  exit 77
fi
cd "$work"
[ "$(id -u)" = 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Open MPI's own start-up allocations are not facies' leaks (ASan builds).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
loopback=(--oversubscribe --mca btl self,vader,tcp --mca btl_tcp_if_include lo --mca oob_tcp_if_include lo)
# Open MPI 4.1.4's mpirun itself sometimes crashes in its abort report under meson's MALLOC_PERTURB_.
unset MALLOC_PERTURB_
mpi() { local n=$1; shift; timeout 300 mpirun -n "$n" "${loopback[@]}" "$@"; }
py=/usr/bin/python3

# same_h5 A B DATASET...: equal datasets (exactly, or within tolerance TOL when set)
same_h5() {
  "$py" - "$@" <<'PY'
import sys, os, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
tol = float(os.environ.get("TOL", "0"))
for name in sys.argv[3:]:
    x, y = a[name][()], b[name][()]
    if x.shape != y.shape or not (np.array_equal(x, y) if tol == 0 else np.allclose(x, y, rtol=0, atol=tol)):
        sys.exit("%s differs (max %g)" % (name, np.max(np.abs(x.astype(float) - y.astype(float)))))
PY
}

"$FACIES" synth s --inlines 20 --crosslines 48 --samples 100 --quiet || bad "synth"

# ingest: the dataset of two ranks is the dataset of one.
expect_exit 0 -- "$FACIES" ingest s/survey.sgy --labels s/labels.sgy --out p1.h5 --patch 21 --per-class 200 --orientation both
expect_exit 0 -- mpi 2 "$FACIES" ingest s/survey.sgy --labels s/labels.sgy --out p2.h5 --patch 21 --per-class 200 --orientation both
grep -q '^p2.h5: 2400 patches' "$work/out" && ok || bad "rank 0 did not report the dataset: $(cat "$work/out")"
same_h5 p1.h5 p2.h5 patches labels positions classes && ok || bad "ingest on 2 ranks differs"
ls p2.h5.partial >/dev/null 2>&1 && bad "ingest left a partial file" || ok

# train: data-parallel, the same steps as one process with the whole batch (dropout and batch norm included).
arch=conv8-batchnorm-pool-conv16-pool-flatten-dense32-dropout0.5-dense
expect_exit 0 -- "$FACIES" train p1.h5 --out m1.h5 --epochs 2 --arch $arch --threads 1 --augment
expect_exit 0 -- mpi 2 "$FACIES" train p1.h5 --out m2.h5 --epochs 2 --arch $arch --threads 1 --augment
grep -q '^epoch *2/2' "$work/out" && ok || bad "rank 0 did not report the epochs: $(cat "$work/out")"
[ "$(grep -c '^epoch' "$work/out")" = 2 ] && ok || bad "epochs reported more than once"
layers=$("$py" -c "import h5py; f=h5py.File('m1.h5','r'); l=[]; f['layers'].visititems(lambda n,o: l.append('layers/'+n) if isinstance(o,h5py.Dataset) else None); print(' '.join(l))")
TOL=1e-4 same_h5 m1.h5 m2.h5 $layers && ok || bad "weights after 2 ranks differ from one process"
cut -d, -f1-5 m1.history.csv >h1 && cut -d, -f1-5 m2.history.csv >h2
"$py" -c "
import numpy as np
a=np.loadtxt('h1',delimiter=',',skiprows=1); b=np.loadtxt('h2',delimiter=',',skiprows=1)
assert np.allclose(a,b,atol=2e-4), (a,b)" && ok || bad "history on 2 ranks differs: $(cat h1 h2)"

# Plain SGD (no momentum: a step is the gradient itself, which Adam would hide up to scale) on 3 ranks, whose
# shares of a batch are uneven, gives one process's weights.
sgd=(--epochs 1 --arch $arch --threads 1 --optimizer sgd --momentum 0 --lr 0.05 --batch 20)
expect_exit 0 -- "$FACIES" train p1.h5 --out s1.h5 "${sgd[@]}"
expect_exit 0 -- mpi 3 "$FACIES" train p1.h5 --out s3.h5 "${sgd[@]}"
TOL=1e-4 same_h5 s1.h5 s3.h5 $layers && ok || bad "SGD weights after 3 ranks differ from one process"

# same_dir A B: the same files (names and bytes) in two folders, at least one
same_dir() {
  [ -n "$(ls "$1")" ] && [ "$(ls "$1")" = "$(ls "$2")" ] || return 1
  for n in $(ls "$1"); do cmp -s "$1/$n" "$2/$n" || return 1; done
}

# apply: the facies, confidence and class probability SEG-Y and the probabilities are those of one process, byte
# for byte.
expect_exit 0 -- "$FACIES" apply m1.h5 s/survey.sgy --out f1.sgy --confidence c1.sgy --probabilities pr1.h5 \
  --probabilities-segy ps1 --threads 1
expect_exit 0 -- mpi 2 "$FACIES" apply m1.h5 s/survey.sgy --out f2.sgy --confidence c2.sgy --probabilities pr2.h5 \
  --probabilities-segy ps2 --threads 1
cmp -s f1.sgy f2.sgy && ok || bad "facies SEG-Y of 2 ranks differs"
[ "$(ls ps1 | wc -l)" = 6 ] && same_dir ps1 ps2 && ok || bad "class probability SEG-Y of 2 ranks differ: $(ls ps1 ps2)"
cmp -s c1.sgy c2.sgy && ok || bad "confidence SEG-Y of 2 ranks differs"
cmp -s f1.sgy.classes.csv f2.sgy.classes.csv && ok || bad "legend CSV of 2 ranks (written by rank 0) differs"
same_h5 pr1.h5 pr2.h5 probabilities && ok || bad "probabilities of 2 ranks differ"
ls ./*.partial* >/dev/null 2>&1 && bad "apply left partial files: $(ls ./*.partial*)" || ok
# three ranks (sections do not divide evenly), both orientations, a part of the survey
expect_exit 0 -- "$FACIES" apply m1.h5 s/survey.sgy --out b1.sgy --probabilities bp1.h5 --orientation inline,crossline --lines 1003:1011 --threads 1
expect_exit 0 -- mpi 3 "$FACIES" apply m1.h5 s/survey.sgy --out b3.sgy --probabilities bp3.h5 --orientation inline,crossline --lines 1003:1011 --threads 1
cmp -s b1.sgy b3.sgy && ok || bad "both orientations on 3 ranks differ"
same_h5 bp1.h5 bp3.h5 probabilities && ok || bad "both orientations' probabilities on 3 ranks differ"

# Resume per rank: kill a 2-rank run part way (every process, SIGKILL), resume it with 2 ranks, get the same file.
"$FACIES" synth big --inlines 40 --crosslines 300 --samples 500 --quiet || bad "synth big"
expect_exit 0 -- "$FACIES" apply m1.h5 big/survey.sgy --out f1.sgy --probabilities pr1.h5 --probabilities-segy bps1 \
  --threads 1
timeout 300 mpirun -n 2 "${loopback[@]}" "$FACIES" apply m1.h5 big/survey.sgy --out r.sgy --probabilities rp.h5 \
  --probabilities-segy rps --threads 1 --quiet >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 500); do
  n=$(sed -n 's/^sections_done //p' r.sgy.partial.state.0 2>/dev/null)
  [ -n "$n" ] && [ "$n" -ge 2 ] && break
  sleep 0.02
done
pkill -KILL -f "facies apply m1.h5 big/survey.sgy --out r.sgy" 2>/dev/null; wait $pid 2>/dev/null
[ -n "$n" ] && [ "$n" -ge 2 ] && [ ! -e r.sgy ] && ok || bad "could not interrupt the 2-rank run part way (rank 0 done: ${n:-none})"
expect_exit 2 -- mpi 3 "$FACIES" apply m1.h5 big/survey.sgy --out r.sgy --probabilities rp.h5 --probabilities-segy rps \
  --threads 1 --resume
grep -q 'resume it with as many' "$work/err" && ok || bad "resume with other ranks: $(head -c 300 "$work/err")"
expect_exit 0 -- mpi 2 "$FACIES" apply m1.h5 big/survey.sgy --out r.sgy --probabilities rp.h5 --probabilities-segy rps \
  --threads 1 --resume
grep -q 'resuming after' "$work/err" && ok || bad "resume said nothing: $(cat "$work/err")"
cmp -s r.sgy f1.sgy && ok || bad "resumed 2-rank output differs from one process"
same_dir rps bps1 && ok || bad "resumed 2-rank class probability SEG-Y differ from one process"
ls rps/*.partial >/dev/null 2>&1 && bad "resume left partial class files" || ok
same_h5 rp.h5 pr1.h5 probabilities && ok || bad "resumed probabilities differ"

# A failure ends the job with a clear line, no hang, no output.
expect_exit 1 -- mpi 2 "$FACIES" apply nosuch.h5 s/survey.sgy --out x.sgy
grep -Eq '^(\[rank [0-9]+\] )?facies: nosuch.h5' "$work/err" && ok || bad "failure line: $(head -c 300 "$work/err")"
[ -e x.sgy ] && bad "failed run wrote an output" || ok

# Each rank's own resume state (OUT.partial.state.RANK) counts among the outputs: one linked to the survey is refused.
cp s/survey.sgy keep.sgy
ln -s s/survey.sgy x.sgy.partial.state.1
expect_exit 2 -- mpi 2 "$FACIES" apply m1.h5 s/survey.sgy --out x.sgy
grep -q 'x.sgy.partial.state.1 (written beside --out x.sgy) is the input survey s/survey.sgy' "$work/err" && ok ||
  bad "rank state on the survey: $(head -c 300 "$work/err")"
cmp -s s/survey.sgy keep.sgy && ok || bad "the survey changed"
finish
