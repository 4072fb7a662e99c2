# facies suggest (#18): lines ranked by the mean entropy of apply's probabilities (or an ensemble's disagreement),
# away from labelled lines (the model's patch dataset, or --labels), kept --min-distance apart; suggest.csv checked
# against numpy on the probability file; pictures of the top lines; refusals.
. "$(dirname "$0")/lib.sh"
cd "$work"
py=/usr/bin/python3
arch=conv8-pool-flatten-dense16-dense
"$FACIES" synth s --inlines 16 --crosslines 30 --samples 64 --quiet || bad "synth"
for n in 1003 1011; do
  app=(); [ -f p.h5 ] && app=(--append)
  "$FACIES" ingest s/survey.sgy --labels s/labels.sgy --classes s/classes.csv --patch 21 --per-class 80 \
    --lines $n:$n --out p.h5 --quiet "${app[@]}" 2>/dev/null || bad "ingest inline $n"
done
"$FACIES" train p.h5 --out m1.h5 --epochs 1 --arch $arch --threads 1 --allow-empty-classes --quiet || bad "train m1"
"$FACIES" train p.h5 --out m2.h5 --epochs 1 --arch $arch --threads 1 --seed 2 --allow-empty-classes --quiet ||
  bad "train m2"
"$FACIES" apply m1.h5 s/survey.sgy --out f.sgy --probabilities pr.h5 --quiet || bad "apply"

# check.py CSV PROBS MIN_DISTANCE LABELLED [DISAGREEMENT.sgy]: every row's measures are numpy's on the file, rows
# are best first, no row is a labelled line (LABELLED: "inline:1003,inline:1011"), rows of one orientation are
# MIN_DISTANCE apart and as far from labelled lines; prints the number of rows.
cat >check.py <<'PY'
import csv, struct, sys
import h5py, numpy as np
path, probs, dist, labelled = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
f = h5py.File(probs, "r")
p = f["probabilities"][()].astype(np.float64)
il, xl = list(f["inline_numbers"][()]), list(f["crossline_numbers"][()])
K = p.shape[-1]
ent = -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0), axis=-1)
written = p.sum(axis=-1) > 0.5
dis = np.zeros_like(ent)
if len(sys.argv) > 5:
    b = open(sys.argv[5], "rb").read()
    ns = struct.unpack(">H", b[3220:3222])[0]
    a = np.frombuffer(b[3600:], dtype=np.uint8).reshape(-1, 240 + 4 * ns)
    dis = a[:, 240:].copy().view(">f4").astype(np.float64).reshape(len(il), len(xl), ns)
unc = dis if len(sys.argv) > 5 else ent
rows = list(csv.DictReader(open(path)))
lab = {(o, int(n)) for o, n in (x.split(":") for x in labelled.split(",") if x)}
score, picked = [], []
for r in rows:
    o, n = r["orientation"], int(r["line"])
    sl = (il.index(n), slice(None)) if o == "inline" else (slice(None), xl.index(n))
    w = written[sl]
    for key, want in (("mean_entropy", ent[sl][w].mean()), ("mean_disagreement", dis[sl][w].mean() if len(sys.argv) > 5 else 0),
                      ("fraction_above", (unc[sl][w] / np.log(K) > 0.5).mean())):
        assert abs(float(r[key]) - want) < 2e-5, (r, key, want)
    assert (o, n) not in lab, ("labelled line suggested", r)
    nums = il if o == "inline" else xl
    for (o2, n2) in list(lab) + picked:
        if o2 == o:
            assert abs(nums.index(n) - nums.index(n2)) >= dist, ("too close", r, o2, n2)
    picked.append((o, n))
    score.append(float(r["mean_disagreement" if len(sys.argv) > 5 else "mean_entropy"]))
assert score == sorted(score, reverse=True), score
print(len(rows))
PY

# --- Labelled lines from the model's patch dataset -------------------------------------------------------------
expect_exit 0 -- "$FACIES" suggest pr.h5 --out sg.csv --min-distance 2 --png pics --top 3
grep -q "labelled lines from p.h5" "$work/err" && ok || bad "provenance not used: $(cat "$work/err")"
grep -q "46 lines measured, 2 labelled" "$work/err" && ok || bad "two labelled inlines expected: $(cat "$work/err")"
head -1 sg.csv | grep -qx "rank,orientation,line,mean_entropy,mean_disagreement,fraction_above" && ok ||
  bad "csv header: $(head -1 sg.csv)"
rows=$("$py" check.py sg.csv pr.h5 2 inline:1003,inline:1011) && ok || bad "csv against numpy: $rows"
# 16 inlines: 1003 and 1011 and their neighbours out; 30 crosslines 2 apart: at least 15 crosslines.
[ "${rows:-0}" -ge 17 ] && grep -q ',crossline,' sg.csv && ok || bad "too few suggestions ($rows): $(cat sg.csv)"
top=$(sed -n '2,4p' sg.csv | awk -F, '{print $2 "_" $3 ".png"}' | sort | tr '\n' ' ')
[ "$(cd pics && ls | sort | tr '\n' ' ')" = "$top" ] && ok || bad "pictures $(ls pics) are not the top 3: $top"
"$py" -c "
import struct, sys
b = open('pics/$(sed -n 2p sg.csv | awk -F, '{print $2 "_" $3}').png', 'rb').read(24)
assert b[:8] == b'\x89PNG\r\n\x1a\n' and struct.unpack('>II', b[16:24])[0] > 300
" && ok || bad "first picture is not a PNG of a section"
# --min-distance 1 without provenance: every line with its measures.
expect_exit 0 -- "$FACIES" suggest pr.h5 --out all.csv --min-distance 1 --no-provenance --quiet
rows=$("$py" check.py all.csv pr.h5 1 "") && [ "$rows" = 46 ] && ok || bad "all 46 lines expected: $rows"

# A volume stored a crossline a chunk (apply --orientation crossline) is read in that order, with the same results.
"$FACIES" apply m1.h5 s/survey.sgy --out fx.sgy --orientation crossline --probabilities px.h5 --quiet || bad "apply xl"
expect_exit 0 -- "$FACIES" suggest px.h5 --out sx.csv --min-distance 2 --quiet
rows=$("$py" check.py sx.csv px.h5 2 inline:1003,inline:1011) && ok || bad "crossline chunks: $rows"

# --- --labels: the whole label volume labels every line; picks label their own lines ---------------------------
expect_exit 0 -- "$FACIES" suggest pr.h5 --out none.csv --labels s/labels.sgy
[ "$(wc -l <none.csv)" = 1 ] && grep -q "46 labelled, 0 suggested" "$work/err" && ok ||
  bad "a fully labelled volume should leave nothing: $(cat "$work/err") $(cat none.csv)"
awk -F, 'NR == 1 || $1 == 1008' s/picks.csv >picks8.csv
expect_exit 0 -- "$FACIES" suggest pr.h5 --out p8.csv --labels picks8.csv --labelled-fraction 0.01 --min-distance 3
rows=$("$py" check.py p8.csv pr.h5 3 inline:1008) && ok || bad "csv with picks labels: $rows"

# --- Ensemble disagreement ---------------------------------------------------------------------------------------
"$FACIES" apply m1.h5 s/survey.sgy --model m2.h5 --out fe.sgy --probabilities pe.h5 --confidence de.sgy \
  --uncertainty disagreement --quiet || bad "apply ensemble"
expect_exit 0 -- "$FACIES" suggest pe.h5 --out sd.csv --disagreement de.sgy --min-distance 2 --quiet
rows=$("$py" check.py sd.csv pe.h5 2 inline:1003,inline:1011 de.sgy) && ok || bad "csv by disagreement: $rows"
"$FACIES" synth s2 --inlines 16 --crosslines 30 --samples 40 --quiet
expect_exit 1 -- "$FACIES" suggest pe.h5 --out x.csv --disagreement s2/survey.sgy
expect_one_line_naming "s2/survey.sgy: 40 samples a trace"

# --- Refusals ----------------------------------------------------------------------------------------------------
refused 2 pr.h5 "--out" -- "$FACIES" suggest pr.h5 --out pr.h5
refused 2 pr.h5 "s/survey.sgy" -- "$FACIES" suggest s/survey.sgy --out x.csv
refused 2 pr.h5 "--out SUGGEST.csv is required" -- "$FACIES" suggest pr.h5
refused 2 pr.h5 "--threshold '2'" -- "$FACIES" suggest pr.h5 --out x.csv --threshold 2
refused 2 pr.h5 "--min-distance '0'" -- "$FACIES" suggest pr.h5 --out x.csv --min-distance 0
refused 2 pr.h5 "--labels" -- "$FACIES" suggest pr.h5 --out x.csv --labels m1.h5
[ ! -e x.csv ] && [ ! -e x.csv.partial ] && ok || bad "a refused run left x.csv"
expect_exit 0 -- "$FACIES" suggest --help
grep -q -- "--min-distance N" "$work/out" && ok || bad "--help lacks --min-distance"

echo "suggest: $passes passed, $fails failed"
[ "$fails" = 0 ]
