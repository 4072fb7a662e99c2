# apply --probabilities-segy DIR: one IEEE-float SEG-Y per class, named <code>_<name>.sgy (names sanitised), on the
# facies output's traces (--lines, missing traces) with the input's trace headers, the class and model in the
# textual header, samples equal to the HDF5 probabilities and summing to 1; a killed run resumes to the same files
# and never damages the old ones; a resume asking for other outputs, a DIR that is a file and an --out that is one of
# the class files are refused. MPI runs are in mpi.sh.
. "$(dirname "$0")/lib.sh"
cd "$work"
py=/usr/bin/python3
"$FACIES" synth s --inlines 30 --crosslines 300 --samples 160 --missing 0.1 --quiet || bad "synth"
# A class name that no file name may carry as it is.
sed 's#^3,chaotic,#3,chaotic facies/2,#' s/classes.csv >classes.csv
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --classes classes.csv --patch 21 --per-class 200 --out p.h5 \
  --quiet || bad "ingest"
"$FACIES" train p.h5 --out m.h5 --epochs 1 --arch conv8-pool-conv8-pool-flatten-dense16-dense --quiet || bad "train"
names="1_parallel_high.sgy 2_parallel_low.sgy 3_chaotic_facies_2.sgy 4_clinoform.sgy 5_channel.sgy 6_salt.sgy"

# check_probs DIR FACIES.sgy PROBS.h5 SURVEY.sgy IL_MIN IL_MAX: every class file against the HDF5 probabilities, the
# facies output and the input survey.
check_probs() {
  "$py" - "$@" $names <<'PY'
import sys, codecs, h5py, numpy as np
d, facies, probs, survey, lo, hi = sys.argv[1:7]
names = sys.argv[7:]
lo, hi = int(lo), int(hi)

def read(path):
    raw = open(path, "rb").read()
    ns = int.from_bytes(raw[3220:3222], "big")
    fmt = int.from_bytes(raw[3224:3226], "big")
    size = 240 + ns * 4
    n = (len(raw) - 3600) // size
    assert (len(raw) - 3600) % size == 0, path
    tr = np.frombuffer(raw, np.uint8, offset=3600).reshape(n, size)
    return raw, ns, fmt, tr[:, :240], tr[:, 240:]

def lines(headers):
    il = headers[:, 188:192].copy().view(">i4").ravel()
    xl = headers[:, 192:196].copy().view(">i4").ravel()
    return il, xl

f = h5py.File(probs, "r")
p = f["probabilities"][()]
ilnum, xlnum = list(f["inline_numbers"][()]), list(f["crossline_numbers"][()])
_, fns, _, fheads, _ = read(facies)
sraw = open(survey, "rb").read()
sns = int.from_bytes(sraw[3220:3222], "big")
sbytes = {1: 4, 2: 4, 3: 2, 5: 4, 8: 1}[int.from_bytes(sraw[3224:3226], "big")]
st = np.frombuffer(sraw, np.uint8, offset=3600).reshape(-1, 240 + sns * sbytes)[:, :240]
sil, sxl = lines(st)
want = st[(sil >= lo) & (sil <= hi)]  # the traces of the chosen lines, in input order
total = None
for c, name in enumerate(names):
    raw, ns, fmt, heads, data = read(d + "/" + name)
    assert fmt == 5, "%s: format %d" % (name, fmt)
    assert ns == sns == fns, "%s: %d samples" % (name, ns)
    assert heads.shape[0] == fheads.shape[0] == want.shape[0], "%s: %d traces" % (name, heads.shape[0])
    assert np.array_equal(heads, want), "%s: trace headers differ from the input's" % name
    assert np.array_equal(heads, fheads), "%s: trace headers differ from the facies output's" % name
    text = codecs.decode(raw[:3200], "cp037")
    assert "PROBABILITY OF CLASS %d" % (c + 1) in text and "MODEL m.h5" in text, "%s: textual header" % name
    v = data.copy().view(">f4").astype(np.float64)
    il, xl = lines(heads)
    ref = np.stack([p[ilnum.index(a), xlnum.index(b), :, c] for a, b in zip(il, xl)])
    err = np.max(np.abs(v - ref))
    assert err <= 1e-6, "%s: differs from --probabilities by %g" % (name, err)
    total = v if total is None else total + v
err = np.max(np.abs(total - 1))
assert err <= 1e-5, "probabilities sum to 1 within %g" % err
PY
}

expect_exit 0 -- "$FACIES" apply m.h5 s/survey.sgy --out f.sgy --probabilities pr.h5 --probabilities-segy P \
  --lines 1003:1011 --threads 1
for n in $names; do [ -s "P/$n" ] && ok || bad "missing P/$n"; done
[ "$(ls P | wc -l)" = 6 ] && ok || bad "P holds other files: $(ls P)"
check_probs P f.sgy pr.h5 s/survey.sgy 1003 1011 && ok || bad "class files of --lines 1003:1011"
# the whole survey, DIR made with its parents
expect_exit 0 -- "$FACIES" apply m.h5 s/survey.sgy --out w.sgy --probabilities w.h5 --probabilities-segy new/deep \
  --threads 1 --quiet
check_probs new/deep w.sgy w.h5 s/survey.sgy 0 99999 && ok || bad "class files of the whole survey"

# Kill a run part way (SIGKILL) writing over the files above; they stay intact; --resume ends with the same files.
cp -r new/deep ref
"$FACIES" apply m.h5 s/survey.sgy --out w.sgy --probabilities-segy new/deep --threads 1 --quiet &
pid=$!
wait_sections w.sgy.partial.state 3
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
[ -n "$n" ] && [ "$n" -ge 3 ] && [ "$n" -lt 30 ] && ok || bad "could not interrupt the run part way (sections done: ${n:-none})"
for n in $names; do
  cmp -s "new/deep/$n" "ref/$n" && ok || bad "$n changed while a new run was under way"
  [ -e "new/deep/$n.partial" ] && ok || bad "no $n.partial after the kill"
done
# a resume with other outputs than the interrupted run's is refused, and leaves the run resumable
refused 2 w.sgy.partial 'the interrupted run wrote --out --probabilities-segy new/deep, this one asks for --out;' -- \
  "$FACIES" apply m.h5 s/survey.sgy --out w.sgy --threads 1 --resume --quiet
refused 2 w.sgy.partial 'this one asks for --out --probabilities x.h5 --probabilities-segy new/deep' -- \
  "$FACIES" apply m.h5 s/survey.sgy --out w.sgy --probabilities x.h5 --probabilities-segy new/deep --threads 1 --resume --quiet
refused 2 w.sgy.partial 'wrote --out --probabilities-segy new/deep, this one asks for --out --probabilities-segy other;' -- \
  "$FACIES" apply m.h5 s/survey.sgy --out w.sgy --probabilities-segy other --threads 1 --resume --quiet
expect_exit 0 -- "$FACIES" apply m.h5 s/survey.sgy --out w.sgy --probabilities-segy new/deep --threads 1 --resume
grep -q 'resuming after' "$work/err" && ok || bad "resume said nothing: $(cat "$work/err")"
for n in $names; do cmp -s "new/deep/$n" "ref/$n" && ok || bad "resumed $n differs from an uninterrupted run"; done
ls new/deep/*.partial w.sgy.partial* >/dev/null 2>&1 && bad "resume left partial files" || ok

# Refusals before any work: a DIR that is a file; an --out (or its .partial) that is one of the class files.
echo keep >afile
refused 1 afile 'afile: it is a file, not a folder' -- \
  "$FACIES" apply m.h5 s/survey.sgy --out g.sgy --probabilities-segy afile
refused 2 P/1_parallel_high.sgy 'P/1_parallel_high.sgy (written in --probabilities-segy P) is the same file as --out' -- \
  "$FACIES" apply m.h5 s/survey.sgy --out P/1_parallel_high.sgy --probabilities-segy P
refused 2 P/6_salt.sgy 'is the same file as --confidence ./P/../P/6_salt.sgy' -- \
  "$FACIES" apply m.h5 s/survey.sgy --out g.sgy --confidence ./P/../P/6_salt.sgy --probabilities-segy P
ln -s ../s/survey.sgy P/4_clinoform.sgy.partial
refused 2 s/survey.sgy 'P/4_clinoform.sgy.partial (the temporary name of a file of --probabilities-segy P) is the input survey' -- \
  "$FACIES" apply m.h5 s/survey.sgy --out g.sgy --probabilities-segy P
rm P/4_clinoform.sgy.partial
cp s/survey.sgy keep.sgy && rm P/2_parallel_low.sgy && ln keep.sgy P/2_parallel_low.sgy
refused 2 keep.sgy 'P/2_parallel_low.sgy (written in --probabilities-segy P) is the input survey keep.sgy' -- \
  "$FACIES" apply m.h5 keep.sgy --out g.sgy --probabilities-segy P
[ -e g.sgy ] && bad "a refused run wrote an output" || ok
finish
