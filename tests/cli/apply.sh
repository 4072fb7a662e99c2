# The pipeline end to end on synthetic data: synth -> ingest -> train -> apply -> eval, accuracy on blind lines well
# above chance; outputs and their headers; a run killed with SIGKILL resumes to the same file; bad input.
. "$(dirname "$0")/lib.sh"
cd "$work"
"$FACIES" synth s --inlines 30 --crosslines 300 --samples 160 --quiet || bad "synth"
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --classes s/classes.csv --patch 25 --per-class 400 \
  --lines 1000:1023 --out p.h5 --quiet || bad "ingest"
"$FACIES" train p.h5 --out m.h5 --epochs 4 --lr 0.003 --arch conv16-pool-conv32-pool-flatten-dense64-dropout0.3-dense \
  --quiet || bad "train"

expect_exit 0 -- "$FACIES" apply m.h5 s/survey.sgy --out f.sgy --probabilities pr.h5 --probabilities-u8 \
  --confidence c.sgy --uncertainty entropy --png pics --png-lines 1025,1029
grep -q 'dense and exact' "$work/out" && ok || bad "apply summary: $(cat "$work/out")"
for f in f.sgy pr.h5 c.sgy pics/inline_1025.png pics/inline_1029.png; do [ -s "$f" ] && ok || bad "missing $f"; done
ls ./*.partial ./*.state >/dev/null 2>&1 && bad "temporary files left" || ok
expect_exit 0 -- "$FACIES" info f.sgy --json --stats-traces 0
grep -q '"inline_count": 30' "$work/out" && grep -q '"crossline_count": 300' "$work/out" && ok || bad "output geometry"

# Blind lines 1025..1029 were never ingested: scores well above chance (1/6).
expect_exit 0 -- "$FACIES" eval f.sgy --labels s/labels.sgy --lines 1025:1029 --classes s/classes.csv --json
pa=$(grep -o '"pixel_accuracy": [0-9.]*' "$work/out" | sed 's/.*: //')
awk "BEGIN{exit !($pa > 0.6)}" && ok || bad "blind-line pixel accuracy $pa"
grep -q '"confusion"' "$work/out" && grep -q '"mean_iou"' "$work/out" && grep -q '"fw_iou"' "$work/out" && ok || bad "eval JSON keys"
expect_exit 0 -- "$FACIES" eval f.sgy --labels s/picks.csv
grep -q 'pixel accuracy (PA)' "$work/out" && grep -q '^confusion' "$work/out" && ok || bad "eval table"

# Both orientations: probabilities averaged, pictures of crosslines by default.
expect_exit 0 -- "$FACIES" apply m.h5 s/survey.sgy --out both.sgy --orientation inline,crossline --png bothpics --lines 1024:1029
ls bothpics/crossline_*.png >/dev/null 2>&1 && ok || bad "crossline pictures"
ls ./*.inline-probabilities >/dev/null 2>&1 && bad "temporary probabilities left" || ok

# Kill a run part way (SIGKILL), resume it, get the same file; the old output stays intact meanwhile.
cp f.sgy before.sgy
cp pr.h5 pr_before.h5
"$FACIES" apply m.h5 s/survey.sgy --out f.sgy --probabilities pr.h5 --probabilities-u8 --threads 1 --quiet &
pid=$!
for _ in $(seq 1 500); do
  n=$(sed -n 's/^sections_done //p' f.sgy.partial.state 2>/dev/null)
  [ -n "$n" ] && [ "$n" -ge 3 ] && break
  sleep 0.02
done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
[ -n "$n" ] && [ "$n" -ge 3 ] && [ "$n" -lt 30 ] && ok || bad "could not interrupt the run part way (sections done: ${n:-none})"
cmp -s f.sgy before.sgy && ok || bad "the existing output changed while a new run was under way"
[ -e f.sgy.partial ] && ok || bad "no partial output after the kill"
expect_exit 0 -- "$FACIES" apply m.h5 s/survey.sgy --out f.sgy --probabilities pr.h5 --probabilities-u8 --threads 1 --resume
grep -q 'resuming after' "$work/err" && ok || bad "resume said nothing: $(cat "$work/err")"
cmp -s f.sgy before.sgy && ok || bad "resumed output differs from an uninterrupted run"
/usr/bin/python3 -c "
import h5py, numpy as np
a, b = h5py.File('pr.h5', 'r'), h5py.File('pr_before.h5', 'r')
assert np.array_equal(a['probabilities'][()], b['probabilities'][()])" && ok || bad "resumed probabilities differ"

# A resume of another run (other lines, another method, a model rewritten since) is refused naming the difference,
# and leaves the interrupted run resumable; a state facies did not write is refused with its line.
"$FACIES" apply m.h5 s/survey.sgy --out g.sgy --lines 1000:1019 --threads 1 --quiet &
pid=$!
wait_sections g.sgy.partial.state 2
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
[ -n "$n" ] && [ "$n" -lt 20 ] && ok || bad "could not interrupt the run part way (sections done: ${n:-none})"
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy --out g.sgy --lines 1010:1029 --threads 1 --resume
grep -q 'other inputs or options: lines 1000:1019 (now 1010:1029); resume with the same command' "$work/err" && ok ||
  bad "resume with other lines: $(cat "$work/err")"
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy --out g.sgy --lines 1000:1019 --threads 1 --resume --method direct
grep -q 'method fast (now direct)' "$work/err" && ok || bad "resume with another method: $(cat "$work/err")"
cp g.sgy.partial.state g.state
printf 'facies-apply 1\nsections_done 99\n' >g.sgy.partial.state
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy --out g.sgy --lines 1000:1019 --threads 1 --resume
grep -q 'says 99 of 99 sections were done, but this run has 20' "$work/err" && ok || bad "state beyond the run: $(cat "$work/err")"
printf 'facies-apply 1\nsections_done x\n' >g.sgy.partial.state
expect_exit 1 -- "$FACIES" apply m.h5 s/survey.sgy --out g.sgy --lines 1000:1019 --threads 1 --resume
grep -q 'g.sgy.partial.state: line 2: .*not a resume state facies apply wrote' "$work/err" && ok ||
  bad "damaged state: $(cat "$work/err")"
mv g.state g.sgy.partial.state
expect_exit 0 -- "$FACIES" apply m.h5 s/survey.sgy --out g.sgy --lines 1000:1019 --threads 1 --resume
"$FACIES" apply m.h5 s/survey.sgy --out g1.sgy --lines 1000:1019 --threads 1 --quiet || bad "apply g1"
cmp -s g.sgy g1.sgy && ok || bad "resumed after refusals, the output differs from an uninterrupted run"

# --method fast (the default) and --method direct agree: probabilities within 1e-4, the same class wherever the
# top-2 margin exceeds 1e-3; on an irregular survey (missing traces), with both orientations, 2 threads.
"$FACIES" synth irr --inlines 6 --crosslines 140 --samples 120 --missing 0.1 --seed 4 --quiet || bad "synth irr"
expect_exit 0 -- "$FACIES" apply m.h5 irr/survey.sgy --out fast.sgy --probabilities fast.h5 --orientation inline,crossline --threads 2
grep -q 'fast method:' "$work/err" && ok || bad "apply did not name its kernels: $(cat "$work/err")"
expect_exit 0 -- "$FACIES" apply m.h5 irr/survey.sgy --out direct.sgy --probabilities direct.h5 --orientation inline,crossline \
  --threads 2 --method direct
grep -q 'direct method:' "$work/err" && ok || bad "--method direct not taken: $(cat "$work/err")"
/usr/bin/python3 -c "
import h5py, numpy as np
a, b = h5py.File('fast.h5', 'r')['probabilities'][()], h5py.File('direct.h5', 'r')['probabilities'][()]
assert a.shape == b.shape and a.size > 0
d = np.nanmax(np.abs(a - b)); assert d <= 1e-4, d
s = np.sort(b, axis=-1); sure = (s[..., -1] - s[..., -2]) > 1e-3
assert np.array_equal(np.argmax(a, -1)[sure], np.argmax(b, -1)[sure])" && ok || bad "fast and direct methods differ"
expect_exit 2 -- "$FACIES" apply m.h5 irr/survey.sgy --out x.sgy --method quick
# --probabilities-u8 stores round(255 p): within 1/510 of the float probabilities everywhere.
expect_exit 0 -- "$FACIES" apply m.h5 irr/survey.sgy --out u8.sgy --probabilities u8.h5 --probabilities-u8 \
  --orientation inline,crossline --threads 2
/usr/bin/python3 -c "
import h5py, numpy as np
f = h5py.File('u8.h5', 'r')
q, p = f['probabilities'][()], h5py.File('fast.h5', 'r')['probabilities'][()]
assert q.dtype == np.uint8 and q.shape == p.shape and int(f.attrs['quantised']) == 1
err = np.max(np.abs(q / 255.0 - p)); assert err <= 1 / 510 + 1e-6, err" && ok ||
  bad "u8 probabilities are not round(255 p)"
# The fast method's tiles do not depend on the thread count: the same bits with 1 and 2 threads.
expect_exit 0 -- "$FACIES" apply m.h5 irr/survey.sgy --out fast1.sgy --probabilities fast1.h5 --orientation inline,crossline --threads 1
cmp -s fast.sgy fast1.sgy && /usr/bin/python3 -c "
import h5py, numpy as np
a, b = h5py.File('fast.h5', 'r')['probabilities'][()], h5py.File('fast1.h5', 'r')['probabilities'][()]
assert np.array_equal(a, b, equal_nan=True)" && ok || bad "1 and 2 threads give different outputs"
# A network with 'same' padding inside the patch: one warning line, the direct method.
"$FACIES" train p.h5 --out same.h5 --epochs 1 --arch conv8psame-pool-flatten-dense16-dense --quiet || bad "train same"
expect_exit 0 -- "$FACIES" apply same.h5 irr/survey.sgy --out same.sgy
[ "$(grep -c "approximation.*direct method" "$work/err")" = 1 ] && ! grep -q 'fast method:' "$work/err" && ok ||
  bad "same padding: $(cat "$work/err")"

# A fast preview is a valid SEG-Y on the same grid.
expect_exit 0 -- "$FACIES" apply m.h5 s/survey.sgy --out prev.sgy --step 5 --format int16 --lines 1020:1029
expect_exit 0 -- "$FACIES" info prev.sgy --json --stats-traces 0
grep -q '"inline_count": 10' "$work/out" && grep -q '"format": 3' "$work/out" && ok || bad "preview geometry"

# Bad input: one line, exit 1, no output.
head -c 100000 s/survey.sgy > cut.sgy
expect_exit 1 -- "$FACIES" apply m.h5 cut.sgy --out x.sgy
expect_one_line_naming cut.sgy
[ ! -e x.sgy ] && [ ! -e x.sgy.partial ] && ok || bad "output written for bad input"
expect_exit 2 -- "$FACIES" apply p.h5 s/survey.sgy --out x.sgy
expect_line_naming "p.h5 is a patch dataset"
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy --out x.sgy --format vax
expect_exit 2 -- "$FACIES" eval f.sgy
expect_exit 0 -- "$FACIES" apply --help
grep -q -- '--probabilities' "$work/out" && ok || bad "apply --help"
finish
