# Several input volumes as channels: synth --angles writes partial-angle stacks; info --like compares grids;
# ingest --volume stacks volumes on one grid (another trace order or sample format is fine, another grid is refused
# naming the first difference) and records names, scales and hashes; apply takes the model's volume set by name;
# and a model on all three stacks beats one on the near stack alone on blind lines (gas sand looks like
# parallel_high on the near stack and differs with angle).
. "$(dirname "$0")/lib.sh"
cd "$work"
py=/usr/bin/python3
# refused1 KEEP TEXT -- command...: a runtime refusal, exit 1 with one line naming TEXT; KEEP untouched.
refused1() {
  local keep=$1 text=$2
  shift 3
  cp -- "$keep" "$work/refused.copy"
  expect_exit 1 -- "$@"
  expect_one_line_naming "$text"
  cmp -s -- "$keep" "$work/refused.copy" && ok || bad "$keep changed by the refused run: $*"
}
"$FACIES" synth a --angles 3 --inlines 24 --crosslines 96 --samples 120 --quiet || bad "synth --angles 3"
for f in near mid far survey; do [ -s "a/$f.sgy" ] && ok || bad "synth --angles 3 wrote no a/$f.sgy"; done
grep -q '^7,gas_sand,' a/classes.csv && ok || bad "classes.csv lacks gas_sand: $(cat a/classes.csv)"
"$FACIES" synth a4 --angles 4 --inlines 4 --crosslines 8 --samples 40 --quiet || bad "synth --angles 4"
[ -s a4/angle_05.sgy ] && [ -s a4/angle_40.sgy ] && ok || bad "synth --angles 4 names: $(ls a4)"
expect_exit 2 -- "$FACIES" synth x --angles 9
# Gas sand and parallel_high: alike on the near stack (RMS within 10%), not on the far one (more than twice).
$py - <<'EOF' && ok || bad "angle stacks: gas sand should look like parallel_high near and differ far"
import numpy as np
def traces(p, ns=120, fmt=">u4"):
    b = np.fromfile(p, dtype=np.uint8)[3600:]
    w = np.dtype(fmt).itemsize
    return b.reshape(-1, 240 + w * ns)[:, 240:].copy().view(fmt)
def ibm(a):
    a = a.astype(np.int64)
    return np.where(a >> 31, -1.0, 1.0) * (a & 0xFFFFFF) / 2.0**24 * 16.0 ** (((a >> 24) & 0x7F) - 64)
lab = traces("a/labels.sgy", fmt=">i2")
r = {}
for s in ("near", "far"):
    x = ibm(traces("a/%s.sgy" % s))
    r[s] = np.sqrt((x[lab == 7] ** 2).mean()) / np.sqrt((x[lab == 1] ** 2).mean())
assert 0.9 < r["near"] < 1.1 and r["far"] > 2, r
EOF

# info --like: the same grid, or the first difference (text and JSON).
expect_exit 0 -- "$FACIES" info a/near.sgy --like a/far.sgy --stats-traces 0
grep -q '^like .*a/far.sgy is on this grid' "$work/out" && ok || bad "info --like same grid: $(tail -1 "$work/out")"
"$FACIES" synth b --inlines 24 --crosslines 96 --samples 100 --quiet || bad "synth b"
expect_exit 0 -- "$FACIES" info a/near.sgy --like b/survey.sgy --stats-traces 0 --json
$py -c "import json,sys; l=json.load(open('$work/out'))['like']; assert not l['same_grid'] and l['difference']=='sample_count' and '120' in l['detail'], l" && ok ||
  bad "info --like --json: $(cat "$work/out")"
"$SEGY_REWRITE" a/far.sgy hole.sgy --drop 1003:2010
expect_exit 0 -- "$FACIES" info a/near.sgy --like hole.sgy --stats-traces 0
grep -q 'inline 1003 crossline 2010 has a trace in a/near.sgy but none in hole.sgy' "$work/out" && ok ||
  bad "info --like names the missing trace: $(tail -1 "$work/out")"

# ingest: another grid refused naming the first difference; another order and format accepted.
refused1 a/near.sgy 'inline 1003 crossline 2010' -- "$FACIES" ingest a/near.sgy --volume far=hole.sgy \
  --labels a/labels.sgy --out x.h5
[ ! -e x.h5 ] && ok || bad "a refused ingest wrote x.h5"
refused 2 a/near.sgy "'survey' names the survey" -- "$FACIES" ingest a/near.sgy --volume survey=a/far.sgy \
  --labels a/labels.sgy --out x.h5
"$FACIES" synth ieee --angles 3 --inlines 24 --crosslines 96 --samples 120 --format ieee --quiet || bad "synth ieee"
"$SEGY_REWRITE" ieee/far.sgy far_xl.sgy --crossline-sorted
ing() { "$FACIES" ingest a/near.sgy --labels a/labels.sgy --classes a/classes.csv --patch 25 --per-class 300 \
  --lines 1000:1015 --quiet "$@"; }
ing --out pn.h5 || bad "ingest near"
ing --volume mid=a/mid.sgy --volume far=a/far.sgy --out pa.h5 || bad "ingest near + mid + far"
ing --volume far=far_xl.sgy --volume mid=a/mid.sgy --out pb.h5 || bad "ingest with a crossline-sorted IEEE far stack"
$py - <<'EOF' && ok || bad "patches.h5 of three volumes"
import h5py, numpy as np
a, b, n = h5py.File("pa.h5"), h5py.File("pb.h5"), h5py.File("pn.h5")
assert a["patches"].shape[1] == 3 and n["patches"].shape[1] == 1, (a["patches"].shape, n["patches"].shape)
assert a.attrs["channels"] == b"amplitude,mid:amplitude,far:amplitude", a.attrs["channels"]
assert a.attrs["volumes"] == b"survey,mid,far" and len(a.attrs["volume_hashes"].split(b",")) == 3
s = a.attrs["volume_scales"]
assert len(s) == 3 and s[0] == a.attrs["normalisation_scale"] and s[2] != s[0], s
assert list(a.attrs["channel_scales"]) == list(s)
assert b.attrs["volumes"] == b"survey,far,mid"  # the survey, then as given
# the far channel holds the same data, whatever the file's trace order and sample format (its scale, measured on
# other traces, differs a little); the survey's channel is the near-only dataset's
pa, pb = a["patches"][:], b["patches"][:]
assert np.abs(pa[:, 2] - pb[:, 1]).max() < 0.02 and np.array_equal(pa[:, 1], pb[:, 2])
assert np.array_equal(a["positions"][:], n["positions"][:]) and np.array_equal(pa[:, :1], n["patches"][:])
EOF
# --append: the same volume set (any order), nothing else.
refused1 pa.h5 'missing: far' -- "$FACIES" ingest a/near.sgy --labels a/labels.sgy --append --out pa.h5 \
  --volume mid=a/mid.sgy --lines 1016:1016
cp pa.h5 pc.h5
ing --append --out pc.h5 --volume far=a/far.sgy --volume mid=a/mid.sgy --lines 1016:1016 && ok || bad "append"

# Train on the near stack alone and on all three; blind lines 1018..1023.
arch=conv16-pool-conv32-pool-flatten-dense64-dropout0.3-dense
"$FACIES" train pn.h5 --out mn.h5 --epochs 6 --lr 0.003 --arch $arch --threads 1 --quiet || bad "train near"
"$FACIES" train pa.h5 --out ma.h5 --epochs 6 --lr 0.003 --arch $arch --threads 1 --quiet || bad "train all"
expect_exit 0 -- "$FACIES" summary ma.h5
grep -q 'channels (apply takes the volumes as SURVEY.sgy --volume mid=FILE --volume far=FILE)' "$work/out" &&
  grep -q ' 2  far *amplitude *scale' "$work/out" && ok || bad "summary lists the channels: $(cat "$work/out")"
# apply: the model's volume set by name, in any order; missing, extra or misnamed volumes refused with the names.
refused1 ma.h5 'ma.h5 takes the survey and --volume mid=FILE --volume far=FILE; missing: far' -- \
  "$FACIES" apply ma.h5 a/near.sgy --volume mid=a/mid.sgy --out x.sgy
refused1 ma.h5 'not among them (or given twice): mud' -- "$FACIES" apply ma.h5 a/near.sgy --volume mud=a/mid.sgy \
  --volume far=a/far.sgy --out x.sgy
refused1 mn.h5 'mn.h5 takes the survey alone, no --volume (given: far)' -- "$FACIES" apply mn.h5 a/near.sgy \
  --volume far=a/far.sgy --out x.sgy
[ ! -e x.sgy ] && ok || bad "a refused apply wrote x.sgy"
"$FACIES" apply mn.h5 a/near.sgy --lines 1018:1023 --out fn.sgy --threads 1 --quiet || bad "apply near"
"$FACIES" apply ma.h5 a/near.sgy --volume far=a/far.sgy --volume mid=a/mid.sgy --lines 1018:1023 --out fa.sgy \
  --threads 1 --quiet || bad "apply all"
pa() { "$FACIES" eval "$1" --labels a/labels.sgy --lines 1018:1023 --json |
  $py -c "import json,sys; print(json.load(sys.stdin)['pixel_accuracy'])"; }
near=$(pa fn.sgy) all=$(pa fa.sgy)
echo "blind lines 1018..1023: pixel accuracy near stack $near, near + mid + far $all"
$py -c "import sys; sys.exit(0 if $all >= $near + 0.05 else 1)" && ok ||
  bad "all stacks ($all) should beat the near stack alone ($near) by 0.05 or more"
# Both orientations, --step and the far stack in another order and format give a run that completes.
"$FACIES" apply ma.h5 a/near.sgy --volume far=far_xl.sgy --volume mid=a/mid.sgy --lines 1018:1019 --out fo.sgy \
  --orientation inline,crossline --step 2 --threads 1 --quiet && ok || bad "apply both orientations with volumes"
# --resume: a killed run resumes with the volumes in any order and ends with an uninterrupted run's file; another
# file given as a volume (alike in size and time, as stacks written together are) is refused.
vols=(--volume mid=a/mid.sgy --volume far=a/far.sgy)
"$FACIES" apply ma.h5 a/near.sgy "${vols[@]}" --out whole.sgy --threads 1 --quiet || bad "apply all inlines"
"$FACIES" apply ma.h5 a/near.sgy "${vols[@]}" --out r.sgy --threads 1 --quiet &
pid=$!
wait_sections r.sgy.partial.state 2
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
if [ ! -e r.sgy ]; then
  expect_exit 2 -- "$FACIES" apply ma.h5 a/near.sgy --volume mid=a/mid.sgy --volume far=a/near.sgy --out r.sgy --resume
  grep -q 'other inputs or options: volumes' "$work/err" && ok || bad "resume with another volume: $(cat "$work/err")"
  expect_exit 0 -- "$FACIES" apply ma.h5 a/near.sgy --volume far=a/far.sgy --volume mid=a/mid.sgy --out r.sgy \
    --threads 1 --resume
  grep -q 'resuming after' "$work/err" && ok || bad "did not resume: $(cat "$work/err")"
  cmp -s r.sgy whole.sgy && ok || bad "the resumed run's file differs from an uninterrupted run's"
fi
# Several processes write what one writes.
if mpi_ready; then
  mpi2 "$FACIES" ingest a/near.sgy --labels a/labels.sgy --classes a/classes.csv --patch 25 --per-class 300 \
    --lines 1000:1015 --quiet --volume mid=a/mid.sgy --volume far=a/far.sgy --out pm.h5 || bad "MPI ingest"
  $py -c "
import h5py, numpy as np
a, b = h5py.File('pa.h5'), h5py.File('pm.h5')
assert all(np.array_equal(a[k][:], b[k][:]) for k in ('patches', 'labels', 'positions'))
assert a.attrs['channels'] == b.attrs['channels'] and list(a.attrs['volume_scales']) == list(b.attrs['volume_scales'])
" && ok || bad "MPI ingest with volumes differs from one process"
  mpi2 "$FACIES" apply ma.h5 a/near.sgy --volume far=a/far.sgy --volume mid=a/mid.sgy --lines 1018:1023 \
    --out fm.sgy --threads 1 --quiet && cmp -s fa.sgy fm.sgy && ok || bad "MPI apply with volumes differs"
fi

finish
