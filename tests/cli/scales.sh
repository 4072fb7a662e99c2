# ingest --scales (issue 22): coarse views stored as more channels with a 'scales' attribute, a two-tower model
# trained on them, apply building the same views (direct and fast methods agree, per-patch preview runs); one
# scale is the old file; bad lists are usage errors; mixing scales is refused naming the file.
. "$(dirname "$0")/lib.sh"
cd "$work"
PY=/usr/bin/python3
"$FACIES" synth s --inlines 6 --crosslines 40 --samples 64 --quiet || bad "synth"
ing() { "$FACIES" ingest s/survey.sgy --labels s/labels.sgy --classes s/classes.csv --patch 21 --per-class 60 --quiet "$@"; }

expect_exit 0 -- ing --out p4.h5 --scales 1,4
$PY -c 'import h5py, sys; f = h5py.File("p4.h5", "r"); p = f["patches"]
sys.exit(0 if p.shape[1:] == (2, 21, 21) and f.attrs["scales"] == b"1,4" else 1)' && ok || bad "two planes and a scales attribute"
# The coarse plane is not a copy of the fine one.
$PY -c 'import h5py, numpy as np, sys; p = h5py.File("p4.h5", "r")["patches"][:, :, 6:15, 6:15].astype(float)
sys.exit(0 if not np.allclose(p[:, 0], p[:, 1]) else 1)' && ok || bad "coarse plane differs from the fine one"

# One scale, said or not, is the dataset as before: no attribute, the same patches.
expect_exit 0 -- ing --out p1.h5
expect_exit 0 -- ing --out p1s.h5 --scales 1
$PY -c 'import h5py, numpy as np, sys; a = h5py.File("p1.h5", "r"); b = h5py.File("p1s.h5", "r")
same = all(np.array_equal(a[k][...], b[k][...]) for k in ("patches", "labels", "positions"))
attrs = set(a.attrs) == set(b.attrs) and "scales" not in a.attrs
sys.exit(0 if same and attrs and a["patches"].shape[1] == 1 else 1)' && ok || bad "--scales 1 changes the dataset"

# Bad lists: usage errors naming the flag.
for bad_list in 2,4 1,4,4 1,4,2 1,99 1, x; do
  expect_exit 2 -- ing --out bad.h5 --scales "$bad_list"
  grep -q -- "--scales '$bad_list'" "$work/err" && ok || bad "--scales $bad_list: $(cat "$work/err")"
done
# Appending another scale list to a dataset is refused, naming it; the file is kept.
cp p4.h5 keep.h5
expect_exit 1 -- ing --out p4.h5 --append --scales 1,2
expect_one_line_naming p4.h5
cmp -s p4.h5 keep.h5 && ok || bad "p4.h5 changed by the refused append"
grep -q 'use --scales 1,4' "$work/err" && ok || bad "append hint: $(cat "$work/err")"

# A two-tower model: each tower has its own weights (names _x4), summary says so.
expect_exit 0 -- "$FACIES" train p4.h5 --out m4.h5 --epochs 2 --arch conv4-pool-conv8-pool-flatten-dense8-dense --threads 2 --quiet
expect_exit 0 -- "$FACIES" summary m4.h5
grep -q '^ conv2d_x4 (Conv2D)  *(None, 19, 19, 4)  *40$' "$work/out" && ok || bad "summary tower row: $(cat "$work/out")"
grep -q '^ dense (Dense)  *(None, 8)  *1,160$' "$work/out" && ok || bad "head reads both towers (2 x 128 features): $(cat "$work/out")"
grep -q '^scales: 1,4 ' "$work/out" && ok || bad "summary scales line"
$PY -c 'import h5py, sys; sys.exit(0 if h5py.File("m4.h5", "r").attrs["scales"] == b"1,4" else 1)' && ok || bad "model scales attribute"

# Apply: both methods give the same classes and probabilities within 1e-4; flip and the per-patch preview run.
expect_exit 0 -- "$FACIES" apply m4.h5 s/survey.sgy --out d.sgy --method direct --probabilities d.h5 --threads 2
grep -q 'scale 4 (each of its 16 polyphase sub-grids' "$work/err" && ok || bad "kernels per scale logged: $(cat "$work/err")"
expect_exit 0 -- "$FACIES" apply m4.h5 s/survey.sgy --out f.sgy --probabilities f.h5 --threads 2 --quiet
$PY -c 'import h5py, numpy as np, sys; a = h5py.File("d.h5", "r")["probabilities"][...]; b = h5py.File("f.h5", "r")["probabilities"][...]
sys.exit(0 if np.abs(a - b).max() < 1e-4 else 1)' && ok || bad "fast and direct probabilities differ"
expect_exit 0 -- "$FACIES" apply m4.h5 s/survey.sgy --out t.sgy --tta flip --threads 2 --quiet
expect_exit 0 -- "$FACIES" apply m4.h5 s/survey.sgy --out st.sgy --step 4 --threads 2 --quiet

# With --volume, planes are scale by scale and, within a scale, volume by volume: a copy of the survey as a second
# volume gives planes [survey, copy, survey 1/4, copy 1/4], the survey's the same as without it.
cp s/survey.sgy s/twin.sgy
expect_exit 0 -- ing --out pv.h5 --scales 1,4 --volume twin=s/twin.sgy
$PY -c 'import h5py, numpy as np, sys; p = h5py.File("pv.h5", "r")["patches"][...]; q = h5py.File("p4.h5", "r")["patches"][...]
ok = p.shape[1] == 4 and np.array_equal(p[:, 0], p[:, 1]) and np.array_equal(p[:, 2], p[:, 3])
sys.exit(0 if ok and np.array_equal(p[:, [0, 2]], q) else 1)' && ok || bad "planes of two volumes at two scales out of order"
expect_exit 0 -- "$FACIES" train pv.h5 --out mv.h5 --epochs 1 --arch conv4-pool-flatten-dense --threads 2 --quiet
expect_exit 0 -- "$FACIES" apply mv.h5 s/survey.sgy --volume twin=s/twin.sgy --out v.sgy --probabilities v.h5 --threads 2 --quiet
expect_exit 0 -- "$FACIES" apply mv.h5 s/survey.sgy --volume twin=s/twin.sgy --out vd.sgy --method direct --probabilities vd.h5 --threads 2 --quiet
$PY -c 'import h5py, numpy as np, sys; a = h5py.File("v.h5", "r")["probabilities"][...]; b = h5py.File("vd.h5", "r")["probabilities"][...]
sys.exit(0 if np.abs(a - b).max() < 1e-4 else 1)' && ok || bad "two volumes at two scales: fast and direct differ"

# Fine-tuning needs the same scales.
expect_exit 0 -- "$FACIES" train p1.h5 --out m1.h5 --epochs 1 --arch conv4-pool-flatten-dense --threads 1 --quiet
expect_exit 1 -- "$FACIES" train p4.h5 --out x.h5 --init m1.h5
expect_one_line_naming m1.h5
grep -q 'scales 1; p4.h5 holds scales 1,4' "$work/err" && ok || bad "init scales mismatch: $(cat "$work/err")"
finish
