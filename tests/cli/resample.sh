# Sample intervals: apply, ingest --append and train --init refuse a survey or dataset at another interval than the
# model's or dataset's (one line, exit 1, nothing written); apply --resample classifies a 2 ms survey with a 4 ms
# model on the model's grid and writes every output on the survey's own samples and headers, agreeing with the same
# model on a 4 ms synth of the same geology; the resampled run works with both orientations, both methods, --lines,
# resume and MPI.
. "$(dirname "$0")/lib.sh"
cd "$work"
py=/usr/bin/python3
# The same geology at 4 ms (120 samples, 0..476 ms) and 2 ms (239 samples, 0..476 ms) and 3 ms (159, 0..474 ms).
"$FACIES" synth s4 --inlines 16 --crosslines 160 --samples 120 --quiet || bad "synth 4 ms"
"$FACIES" synth s2 --inlines 16 --crosslines 160 --samples 239 --dt-ms 2 --quiet || bad "synth 2 ms"
"$FACIES" synth s3 --inlines 16 --crosslines 160 --samples 159 --dt-ms 3 --quiet || bad "synth 3 ms"
"$FACIES" ingest s4/survey.sgy --labels s4/labels.sgy --classes s4/classes.csv --patch 25 --per-class 400 \
  --lines 1000:1011 --out p.h5 --quiet || bad "ingest"
"$FACIES" train p.h5 --out m.h5 --epochs 4 --lr 0.003 --arch conv16-pool-conv32-pool-flatten-dense64-dropout0.3-dense \
  --threads 1 --quiet || bad "train"

# no_outputs FILE...: none of them, nor their temporary names, exists.
no_outputs() {
  local f
  for f in "$@"; do
    if [ -e "$f" ] || [ -e "$f.partial" ] || [ -e "$f.partial.state" ]; then bad "the refused run wrote $f"; return; fi
  done
  ok
}

# Refusals: one line naming the file, both intervals and the way out; exit 1; nothing written.
expect_exit 1 -- "$FACIES" apply m.h5 s2/survey.sgy --out x.sgy --probabilities x.h5 --confidence xc.sgy
expect_one_line_naming s2/survey.sgy
grep -qF 'samples every 2 ms, but m.h5 was trained on 4 ms samples; add --resample' "$work/err" && ok ||
  bad "apply refusal: $(cat "$work/err")"
no_outputs x.sgy x.h5 xc.sgy
cp p.h5 appended.h5
expect_exit 1 -- "$FACIES" ingest s2/survey.sgy --labels s2/labels.sgy --classes s2/classes.csv --patch 25 \
  --per-class 50 --lines 1000:1001 --out appended.h5 --append
expect_one_line_naming appended.h5
grep -qF 'holds patches cut from 4 ms samples, but s2/survey.sgy samples every 2 ms; ingest it into a new dataset' \
  "$work/err" && ok || bad "ingest --append refusal: $(cat "$work/err")"
cmp -s p.h5 appended.h5 && ok || bad "the refused append changed the dataset"
[ -e appended.h5.partial ] && bad "the refused append left appended.h5.partial" || ok
"$FACIES" ingest s2/survey.sgy --labels s2/labels.sgy --classes s2/classes.csv --patch 25 --per-class 50 \
  --lines 1000:1001 --out p2.h5 --quiet 2>/dev/null || bad "ingest 2 ms"
expect_exit 1 -- "$FACIES" train p2.h5 --init m.h5 --out m2.h5 --epochs 1
expect_one_line_naming m.h5
grep -qF 'the model was trained on 4 ms samples, but p2.h5 holds patches cut from 2 ms samples; --init needs a dataset ingested from a survey at 4 ms' \
  "$work/err" && ok || bad "train --init refusal: $(cat "$work/err")"
no_outputs m2.h5 m2.checkpoint.h5 m2.history.csv m2.history.png

# --resample: one log line, outputs on the survey's grid with its headers.
expect_exit 0 -- "$FACIES" apply m.h5 s2/survey.sgy --out f2.sgy --resample --probabilities p2pr.h5 --confidence c2.sgy \
  --threads 1
[ "$(grep -c "resampling 2 ms traces to the model's 4 ms (239 samples to 120)" "$work/err")" = 1 ] && ok ||
  bad "no resampling line: $(cat "$work/err")"
grep -q 'dense and exact' "$work/out" && bad "a resampled run called itself exact: $(cat "$work/out")" || ok
expect_exit 0 -- "$FACIES" apply m.h5 s4/survey.sgy --out f4.sgy --resample --threads 1
grep -q 'resampling' "$work/err" && bad "resampling logged at the model's own interval" || ok
grep -qF "the survey's 4 ms is the model's interval; nothing to resample" "$work/err" && ok || bad "no note: $(cat "$work/err")"

# same_grid OUT IN: the same binary header sample count and interval, trace count, and trace headers as IN.
# agreement A B STEP_A STEP_B: the fraction of common times (A's sample STEP_A i is B's sample STEP_B i) where the
# facies codes agree.
cat >segy.py <<'PY'
import sys, numpy as np
def read(path, fmt):
    b = open(path, "rb").read()
    ns, dt = int.from_bytes(b[3220:3222], "big"), int.from_bytes(b[3216:3218], "big")
    size = np.dtype(fmt).itemsize
    a = np.frombuffer(b[3600:], np.uint8).reshape(-1, 240 + size * ns)
    return ns, dt, a[:, :240], a[:, 240:].copy().view(fmt)
cmd = sys.argv[1]
if cmd == "same_grid":
    o, i = read(sys.argv[2], ">f4"), read(sys.argv[3], ">u4")
    assert o[0] == i[0] and o[1] == i[1], (o[:2], i[:2])
    assert np.array_equal(o[2], i[2]), "trace headers differ"
    assert o[3].shape == (i[2].shape[0], i[0])
else:
    a, b = read(sys.argv[2], ">f4")[3], read(sys.argv[3], ">f4")[3]
    sa, sb = int(sys.argv[4]), int(sys.argv[5])
    n = min((a.shape[1] - 1) // sa, (b.shape[1] - 1) // sb) + 1
    print("%.4f" % np.mean(a[:, 0:sa * n:sa] == b[:, 0:sb * n:sb]))
PY
for f in f2.sgy c2.sgy; do "$py" segy.py same_grid $f s2/survey.sgy && ok || bad "$f is not on the survey's grid"; done
"$py" -c "
import h5py
p = h5py.File('p2pr.h5', 'r')
assert p['probabilities'].shape == (16, 160, 239, 6), p['probabilities'].shape
assert p.attrs['sample_interval_ms'] == 2.0" && ok || bad "probabilities not on the survey's grid"

# The 2 ms and 4 ms surveys of one geology classify alike: measured 0.945 of the common samples agree (3 ms: 0.946).
agree=$("$py" segy.py agreement f2.sgy f4.sgy 2 1)
awk "BEGIN{exit !($agree >= 0.92)}" && ok || bad "2 ms and 4 ms agree on $agree of the samples (want >= 0.92)"
expect_exit 0 -- "$FACIES" apply m.h5 s3/survey.sgy --out f3.sgy --resample --threads 1
"$py" segy.py same_grid f3.sgy s3/survey.sgy && ok || bad "f3.sgy is not on the survey's grid"
agree3=$("$py" segy.py agreement f3.sgy f4.sgy 4 3)
awk "BEGIN{exit !($agree3 >= 0.90)}" && ok || bad "3 ms and 4 ms agree on $agree3 of the samples (want >= 0.90)"
echo "facies codes agreeing with the 4 ms survey's: 2 ms $agree, 3 ms $agree3"

# The existing paths carry the resampled sections: fast and direct agree to 1e-4 on both orientations with --lines.
for m in fast direct; do
  expect_exit 0 -- "$FACIES" apply m.h5 s2/survey.sgy --out $m.sgy --probabilities $m.h5 --resample --method $m \
    --orientation inline,crossline --lines 1003:1008 --threads 2
done
"$py" -c "
import h5py, numpy as np
a, b = h5py.File('fast.h5', 'r')['probabilities'][()], h5py.File('direct.h5', 'r')['probabilities'][()]
assert a.shape == (16, 160, 239, 6)
assert np.nanmax(np.abs(a[3:9] - b[3:9])) <= 1e-4" && ok || bad "resampled fast and direct differ"
"$py" -c "
b = open('fast.sgy', 'rb').read(); n = (len(b) - 3600) // (240 + 4 * 239); assert n == 6 * 160, n" && ok ||
  bad "--lines 1003:1008 should give 960 traces"
ls ./*.inline-probabilities ./*.partial >/dev/null 2>&1 && bad "temporary files left" || ok

# A survey that records no interval (binary and trace headers 0): taken to be the model's with one warning line,
# the same facies as the survey that records it; --resample refused (it cannot know what to resample from).
"$SEGY_REWRITE" s4/survey.sgy noint.sgy --interval 0 --trace-interval 0 || bad "rewrite without an interval"
expect_exit 0 -- "$FACIES" apply m.h5 noint.sgy --out noint-f.sgy --lines 1000:1001 --threads 1
[ "$(grep -c "warning: noint.sgy records no sample interval (bytes 3217-3218, 117-118): taken to be the model's 4 ms" \
  "$work/err")" = 1 ] && ok || bad "no interval: $(cat "$work/err")"
expect_exit 0 -- "$FACIES" apply m.h5 s4/survey.sgy --out with-f.sgy --lines 1000:1001 --threads 1
"$FACIES" eval noint-f.sgy --labels with-f.sgy --json >"$work/ev" 2>/dev/null &&
  grep -q '"pixel_accuracy": 1[,.]' "$work/ev" && ok || bad "no interval: facies differ from the survey's: $(cat "$work/ev")"
expect_exit 1 -- "$FACIES" apply m.h5 noint.sgy --out x.sgy --resample
grep -q 'noint.sgy: records no sample interval .*--resample cannot tell what to resample from' "$work/err" && ok ||
  bad "--resample without an interval: $(cat "$work/err")"
[ -e x.sgy ] && bad "refused --resample wrote an output" || ok

# Resume: a state part way through gives the file an uninterrupted run writes.
"$FACIES" apply m.h5 s2/survey.sgy --out r.sgy --resample --threads 1 --quiet &
pid=$!
wait_sections r.sgy.partial.state 2
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
[ -n "$n" ] && [ ! -e r.sgy ] && ok || bad "could not interrupt the resampled run part way (sections done: ${n:-none})"
expect_exit 0 -- "$FACIES" apply m.h5 s2/survey.sgy --out r.sgy --resample --threads 1 --resume
grep -q 'resuming after' "$work/err" && ok || bad "resampled run did not resume: $(cat "$work/err")"
cmp -s r.sgy f2.sgy && ok || bad "resumed resampled output differs from an uninterrupted run"

# MPI (when built with it): two ranks write what one process writes.
if mpi_ready; then
  mpi2 "$FACIES" apply m.h5 s2/survey.sgy --out mpi.sgy --resample --threads 1 --quiet || bad "mpirun apply --resample"
  cmp -s mpi.sgy f2.sgy && ok || bad "two ranks wrote another file than one process"
fi
finish
