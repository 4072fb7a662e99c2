# Ensembles, test-time flip and calibration (#18): members that do not match are refused naming the difference;
# two members' probabilities are the mean of each one's; disagreement is their mutual information; --tta flip is the
# mean of apply on the survey and on its mirror; a resume with other members or without the flip is refused; the
# temperature train fits is stored, shown and used; eval scores the probabilities (ECE, Brier, NLL) and draws them.
. "$(dirname "$0")/lib.sh"
cd "$work"
py=/usr/bin/python3
arch=conv8-pool-flatten-dense16-dense
"$FACIES" synth s --inlines 16 --crosslines 30 --samples 64 --quiet || bad "synth"
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --classes s/classes.csv --patch 21 --per-class 80 --out p.h5 \
  --quiet || bad "ingest"
expect_exit 0 -- "$FACIES" train p.h5 --out m1.h5 --epochs 2 --arch $arch --threads 1
grep -q '^calibration: temperature [0-9.]* fitted on the validation patches, stored in the model' "$work/out" && ok ||
  bad "train did not report its temperature: $(cat "$work/out")"
"$FACIES" train p.h5 --out m2.h5 --epochs 2 --arch $arch --threads 1 --seed 2 --quiet || bad "train m2"

# SEG-Y traces as float arrays [trace][sample] (IEEE, int16 or int32 samples).
cat >segy.py <<'PY'
import numpy as np, struct
def read(path):
    b = open(path, "rb").read()
    ns, fmt = struct.unpack(">H", b[3220:3222])[0], struct.unpack(">H", b[3224:3226])[0]
    size, kind = {5: (4, ">f4"), 3: (2, ">i2"), 2: (4, ">i4")}[fmt]
    a = np.frombuffer(b[3600:], dtype=np.uint8).reshape(-1, 240 + size * ns)
    return a[:, 240:].copy().view(kind).astype(np.float64)
def probs(path):
    import h5py
    return h5py.File(path, "r")["probabilities"][()].astype(np.float64)
def entropy(p):
    return -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0), axis=-1)
PY

# --- Calibration stored, shown, used ---------------------------------------------------------------------------
t1=$("$py" -c "import h5py; print(h5py.File('m1.h5', 'r').attrs['temperature'])") && ok || bad "no temperature in m1.h5"
expect_exit 0 -- "$FACIES" summary m1.h5
grep -q "^calibration: temperature ${t1:0:4}" "$work/out" && ok || bad "summary temperature ($t1): $(cat "$work/out")"
expect_exit 0 -- "$FACIES" apply m1.h5 s/survey.sgy --out a1.sgy --probabilities p1.h5
grep -q "calibration: m1.h5: temperature" "$work/err" && ok || bad "apply did not say its temperature: $(cat "$work/err")"
expect_exit 0 -- "$FACIES" apply m1.h5 s/survey.sgy --out n1.sgy --probabilities n1.h5 --no-calibration
grep -q "not used (--no-calibration)" "$work/err" && ok || bad "--no-calibration not said: $(cat "$work/err")"
# Calibrated = softmax(logits / T) = uncalibrated^(1/T), renormalised; and they differ (T is not 1).
"$py" - <<PY && ok || bad "calibrated probabilities are not softmax(logits / T)"
import numpy as np, segy
a, n, t = segy.probs("p1.h5"), segy.probs("n1.h5"), float("$t1")
q = n ** (1 / t); q /= q.sum(-1, keepdims=True)
assert abs(t - 1) > 0.01 and np.abs(n - a).max() > 1e-3, (t, np.abs(n - a).max())
assert np.abs(q - a).max() < 2e-5, np.abs(q - a).max()
PY
# A model without the attribute (from before calibration) is used as it is: T = 1.
cp m1.h5 old.h5
"$py" -c "import h5py; f = h5py.File('old.h5', 'r+'); del f.attrs['temperature']" || bad "attribute removal"
expect_exit 0 -- "$FACIES" summary old.h5
grep -q '^calibration: none (temperature 1)' "$work/out" && ok || bad "summary of an old model: $(cat "$work/out")"
expect_exit 0 -- "$FACIES" apply old.h5 s/survey.sgy --out o.sgy --probabilities o.h5
"$py" -c "
import numpy as np, segy
assert np.array_equal(segy.probs('o.h5'), segy.probs('n1.h5'))" && ok || bad "a model without temperature is not T = 1"

# --- Refusals, before any output -------------------------------------------------------------------------------
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --classes s/classes.csv --patch 17 --per-class 40 --out p17.h5 \
  --quiet || bad "ingest 17"
"$FACIES" train p17.h5 --out m17.h5 --epochs 1 --arch $arch --threads 1 --quiet || bad "train m17"
# mismatch FILE TEXT -- command...: exit 1, one line naming FILE and TEXT, FILE untouched.
mismatch() {
  local keep=$1 text=$2
  shift 3
  cp -- "$keep" "$work/mismatch.copy"
  expect_exit 1 -- "$@"
  expect_one_line_naming "$keep"
  grep -qF -- "$text" "$work/err" && ok || bad "stderr should say '$text': $(cat "$work/err")"
  cmp -s -- "$keep" "$work/mismatch.copy" && ok || bad "$keep changed by the refused run"
}
mismatch m17.h5 "m17.h5: takes 17x17 patches, but the first model m1.h5 has 21x21: the models of an ensemble must \
share their patch size" -- "$FACIES" apply m1.h5 s/survey.sgy --model m2.h5 --model m17.h5 --out x.sgy
cp m2.h5 renamed.h5
"$py" -c "
import h5py
f = h5py.File('renamed.h5', 'r+'); c = f['classes'][()]; c[2]['name'] = b'mud'; f['classes'][...] = c" ||
  bad "class rename"
mismatch renamed.h5 "renamed.h5: class 3 is 3 mud, but the first model m1.h5 has 3 chaotic" -- \
  "$FACIES" apply m1.h5 s/survey.sgy --model renamed.h5 --out x.sgy
cp m2.h5 slow.h5
"$py" -c "import h5py; h5py.File('slow.h5', 'r+').attrs['sample_interval_ms'] = 2.0" || bad "interval change"
mismatch slow.h5 "slow.h5: was trained on 2 ms samples, but the first model m1.h5 has 4 ms" -- \
  "$FACIES" apply m1.h5 s/survey.sgy --model m2.h5 --model slow.h5 --out x.sgy
ls x.sgy* >/dev/null 2>&1 && bad "a refused ensemble left output" || ok
refused 2 m2.h5 "--out m2.h5 is the --model file m2.h5" -- "$FACIES" apply m1.h5 s/survey.sgy --model m2.h5 --out m2.h5
refused 2 m2.h5 "--probabilities m2.h5 is the --model file" -- \
  "$FACIES" apply m1.h5 s/survey.sgy --model m2.h5 --out x.sgy --probabilities m2.h5
expect_exit 2 -- "$FACIES" apply m1.h5 s/survey.sgy --model s/survey.sgy --out x.sgy
expect_line_naming "--model s/survey.sgy is a SEG-Y survey, not a model"
expect_exit 2 -- "$FACIES" apply m1.h5 s/survey.sgy --out x.sgy --confidence c.sgy --uncertainty disagreement
expect_line_naming "--uncertainty disagreement has no effect without an ensemble (--model)"
expect_exit 2 -- "$FACIES" apply m1.h5 s/survey.sgy --out x.sgy --tta rotate
expect_line_naming "--tta must be flip"

# --- Two members: the mean; disagreement: their mutual information -----------------------------------------------
"$FACIES" apply m2.h5 s/survey.sgy --out a2.sgy --probabilities p2.h5 --quiet || bad "apply m2"
expect_exit 0 -- "$FACIES" apply m1.h5 s/survey.sgy --model m2.h5 --out e.sgy --probabilities pe.h5 \
  --confidence ce.sgy --uncertainty disagreement
"$py" - <<'PY' && ok || bad "ensemble probabilities or disagreement wrong"
import numpy as np, segy
a, b, e = segy.probs("p1.h5"), segy.probs("p2.h5"), segy.probs("pe.h5")
assert np.abs((a + b) / 2 - e).max() < 1e-6, np.abs((a + b) / 2 - e).max()
mi = np.maximum(segy.entropy(e) - (segy.entropy(a) + segy.entropy(b)) / 2, 0)
c = segy.read("ce.sgy").reshape(mi.shape)
assert np.abs(mi - c).max() < 1e-5 and c.max() > 1e-3, (np.abs(mi - c).max(), c.max())
PY
"$py" -c "
t = open('e.sgy', 'rb').read(3200).decode('cp037')
assert 'ENSEMBLE MODEL m2.h5' in t and 'CALIBRATION TEMPERATURE' in t, t" && ok ||
  bad "the facies header does not name the second model and the calibration"

# --- --tta flip: the mean of apply on the survey and on its mirror, mirrored back ---------------------------------
"$py" - <<'PY' || bad "mirror"
import numpy as np, struct
b = open("s/survey.sgy", "rb").read()
ns = struct.unpack(">H", b[3220:3222])[0]
a = np.frombuffer(b[3600:], dtype=np.uint8).reshape(16, 30, 240 + 4 * ns).copy()
a[:, :, 240:] = a[:, ::-1, 240:]  # each inline's traces reversed, headers kept
open("mirror.sgy", "wb").write(b[:3600] + a.tobytes())
PY
for m in 1 2; do
  "$FACIES" apply m$m.h5 mirror.sgy --out am$m.sgy --probabilities pm$m.h5 --quiet || bad "apply mirror m$m"
done
expect_exit 0 -- "$FACIES" apply m1.h5 s/survey.sgy --out t.sgy --probabilities pt.h5 --tta flip
expect_exit 0 -- "$FACIES" apply m1.h5 s/survey.sgy --out td.sgy --probabilities ptd.h5 --tta flip --method direct
expect_exit 0 -- "$FACIES" apply m1.h5 s/survey.sgy --model m2.h5 --out et.sgy --probabilities pet.h5 --tta flip
"$py" - <<'PY' && ok || bad "--tta flip is not the mean of the survey's and the mirror's probabilities"
import numpy as np, segy
a, m, t = segy.probs("p1.h5"), segy.probs("pm1.h5"), segy.probs("pt.h5")
want = (a + m[:, ::-1]) / 2
assert np.abs(want - t).max() < 1e-6 and np.abs(a - t).max() > 1e-3, np.abs(want - t).max()
assert np.abs(want - segy.probs("ptd.h5")).max() < 1e-4  # direct method: the same within the methods' agreement
b, mb = segy.probs("p2.h5"), segy.probs("pm2.h5")
both = (want + (b + mb[:, ::-1]) / 2) / 2
assert np.abs(both - segy.probs("pet.h5")).max() < 1e-6, np.abs(both - segy.probs("pet.h5")).max()
PY

# --- With --step and both orientations ----------------------------------------------------------------------------
expect_exit 0 -- "$FACIES" apply m1.h5 s/survey.sgy --model m2.h5 --tta flip --step 3 --out st.sgy \
  --probabilities pst.h5 --confidence cst.sgy --uncertainty disagreement
expect_exit 0 -- "$FACIES" apply m1.h5 s/survey.sgy --model m2.h5 --orientation inline,crossline --out ob.sgy \
  --probabilities pob.h5 --confidence cob.sgy --uncertainty disagreement
"$py" - <<'PY' && ok || bad "--step or both orientations: probabilities or disagreement out of range"
import numpy as np, segy
for p, c in (("pst.h5", "cst.sgy"), ("pob.h5", "cob.sgy")):
    q, d = segy.probs(p), segy.read(c)
    assert np.abs(q.sum(-1) - 1).max() < 1e-4 and d.min() >= 0 and d.max() <= np.log(2) + 1e-6 and d.max() > 0, p
PY

# --- Resume: the members, the flip and the calibration are part of the run -----------------------------------------
"$FACIES" synth big --inlines 40 --crosslines 160 --samples 64 --quiet || bad "synth big"
"$FACIES" apply m1.h5 big/survey.sgy --model m2.h5 --tta flip --out r.sgy --threads 1 --quiet &
pid=$!
wait_sections r.sgy.partial.state 2
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
[ -n "$n" ] && [ "$n" -lt 40 ] && [ ! -e r.sgy ] && ok || bad "could not interrupt the ensemble part way (${n:-none})"
"$FACIES" train p.h5 --out m3.h5 --epochs 2 --arch $arch --threads 1 --seed 3 --quiet
expect_exit 2 -- "$FACIES" apply m1.h5 big/survey.sgy --model m3.h5 --tta flip --out r.sgy --threads 1 --resume
grep -q 'other inputs or options: members ' "$work/err" && ok || bad "resume with another member: $(cat "$work/err")"
expect_exit 2 -- "$FACIES" apply m1.h5 big/survey.sgy --out r.sgy --tta flip --threads 1 --resume
grep -q 'other inputs or options: members=' "$work/err" && ok || bad "resume without the member: $(cat "$work/err")"
expect_exit 2 -- "$FACIES" apply m1.h5 big/survey.sgy --model m2.h5 --out r.sgy --threads 1 --resume
grep -q 'tta flip (now' "$work/err" && ok || bad "resume without the flip: $(cat "$work/err")"
expect_exit 2 -- "$FACIES" apply m1.h5 big/survey.sgy --model m2.h5 --tta flip --no-calibration --out r.sgy \
  --threads 1 --resume
grep -q 'calibration (none) (now off)' "$work/err" && ok || bad "resume without calibration: $(cat "$work/err")"
expect_exit 0 -- "$FACIES" apply m1.h5 big/survey.sgy --model m2.h5 --tta flip --out r.sgy --threads 1 --resume
grep -q 'resuming after' "$work/err" && ok || bad "the same ensemble did not resume: $(cat "$work/err")"
"$FACIES" apply m1.h5 big/survey.sgy --model m2.h5 --tta flip --out r1.sgy --threads 1 --quiet || bad "r1"
cmp -s r.sgy r1.sgy && ok || bad "the resumed ensemble differs from an uninterrupted run"

# --- MPI (when built with it): two ranks write what one process writes --------------------------------------------
if mpi_ready; then
  mpi2 "$FACIES" apply m1.h5 s/survey.sgy --model m2.h5 --tta flip --out mpi.sgy --probabilities mpi.h5 \
    --confidence mpic.sgy --uncertainty disagreement --threads 1 --quiet || bad "mpirun apply ensemble"
  "$FACIES" apply m1.h5 s/survey.sgy --model m2.h5 --tta flip --out one.sgy --probabilities one.h5 \
    --confidence onec.sgy --uncertainty disagreement --threads 1 --quiet || bad "ensemble, one process"
  cmp -s mpi.sgy one.sgy && cmp -s mpic.sgy onec.sgy && ok || bad "two ranks wrote another ensemble than one process"
  "$py" -c "
import numpy as np, segy
assert np.array_equal(segy.probs('mpi.h5'), segy.probs('one.h5'))" && ok || bad "MPI ensemble probabilities differ"
fi

# --- eval --probabilities: ECE, Brier, NLL and the reliability diagram ----------------------------------------------
expect_exit 0 -- "$FACIES" eval a1.sgy --labels s/labels.sgy --probabilities p1.h5
grep -q '^expected calibration error (ECE) 0\.[0-9]*' "$work/out" && grep -q '^Brier score  ' "$work/out" &&
  grep -q '^negative log-likelihood (NLL)  ' "$work/out" && ok || bad "eval calibration table: $(cat "$work/out")"
[ -s p1.reliability.png ] && ok || bad "no reliability diagram beside p1.h5"
expect_exit 0 -- "$FACIES" eval a1.sgy --labels s/labels.sgy --probabilities p1.h5 --json --reliability-png rel.png
[ -s rel.png ] && ok || bad "no --reliability-png"
cp "$work/out" eval.json
"$py" - <<'PY' && ok || bad "eval calibration figures differ from numpy's"
import json, numpy as np, segy
j = json.load(open("eval.json"))["calibration"]
p = segy.probs("p1.h5").reshape(-1, 6)
y = segy.read("s/labels.sgy").reshape(-1).astype(int) - 1  # codes 1..6 in class order
keep = y >= 0
p, y = p[keep], y[keep]
conf, pred = p.max(1), p.argmax(1)
onehot = np.eye(6)[y]
brier = np.mean(np.sum((p - onehot) ** 2, 1))
nll = np.mean(-np.log(np.maximum(p[np.arange(len(y)), y], 1e-12)))
bins = np.minimum((conf * 15).astype(int), 14)
ece = sum(np.sum(bins == b) / len(y) * abs(np.mean(pred[bins == b] == y[bins == b]) - np.mean(conf[bins == b]))
          for b in range(15) if np.any(bins == b))
assert j["samples"] == len(y) and len(j["bins"]) == 15, j["samples"]
for k, v in (("ece", ece), ("brier", brier), ("nll", nll)):
    assert abs(j[k] - v) < 1e-4, (k, j[k], v)
PY
expect_exit 2 -- "$FACIES" eval a1.sgy --labels s/labels.sgy --reliability-png rel.png
expect_line_naming "--reliability-png has no effect without --probabilities"
refused 2 p1.h5 "--reliability-png p1.h5 is the --probabilities file" -- \
  "$FACIES" eval a1.sgy --labels s/labels.sgy --probabilities p1.h5 --reliability-png p1.h5
expect_exit 2 -- "$FACIES" eval a1.sgy --labels s/labels.sgy --probabilities m1.h5
expect_line_naming "--probabilities m1.h5"
"$FACIES" apply m1.h5 s/survey.sgy --out part.sgy --probabilities part.h5 --lines 1000:1003 --quiet || bad "part"
expect_exit 1 -- "$FACIES" eval a1.sgy --labels s/labels.sgy --probabilities part.h5
expect_one_line_naming part.h5
grep -q 'holds no probabilities at inline 1004' "$work/err" && ok || bad "partial probabilities: $(cat "$work/err")"
finish
