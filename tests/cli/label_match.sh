# Labels matched to the survey by line numbers (issue 15): picks on missing traces skipped and counted (--strict
# refuses), label SEG-Ys in another header dialect, order or extent, and eval of a facies volume holding part of
# the labelled lines. Cuts and dialects are made by segy_rewrite, byte by byte, apart from the library.
. "$(dirname "$0")/lib.sh"
cd "$work"
F=$FACIES
have_h5py=0
/usr/bin/python3 -c 'import h5py, numpy' 2>/dev/null && have_h5py=1
"$F" synth a --inlines 12 --crosslines 20 --samples 60 --seed 1 >/dev/null || bad "synth a"
"$F" synth b --inlines 12 --crosslines 20 --samples 60 --seed 2 >/dev/null || bad "synth b" # b's facies: a "prediction"
ing() { "$F" ingest --patch 9 --per-class 0 "$@"; }
# same_h5 A B: the two datasets hold the same positions, labels and patches (h5py, when present).
same_h5() {
  [ $have_h5py = 1 ] || return 0
  /usr/bin/python3 - "$1" "$2" <<'PY' && ok || bad "$1 and $2 differ"
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], 'r'), h5py.File(sys.argv[2], 'r')
assert len(a['labels']) > 0
for k in ('positions', 'labels', 'patches'):
    assert np.array_equal(a[k][()], b[k][()]), k
PY
}
# The scores of eval --json without the "outside" key.
scores() { grep -v '"outside"' "$work/out"; }

# --- 3. Picks on missing traces: skipped, counted, the first rows named; --strict refuses; off the grid refused.
"$SEGY_REWRITE" a/survey.sgy hole.sgy --drop 1002:2013 --drop 1002:2007 --drop 1008:2019
gone='$1":"$2=="1002:2013" || $1":"$2=="1002:2007" || $1":"$2=="1008:2019"'
n_gone=$(awk -F, "NR > 1 && ($gone)" a/picks.csv | wc -l)
rows=$(awk -F, "NR > 1 && ($gone) { printf \"%s%d\", n++ ? \", \" : \"\", NR } n == 5 { exit }" a/picks.csv)
n_all=$(($(wc -l <a/picks.csv) - 1))
[ "$n_gone" -gt 5 ] && ok || bad "the dropped traces should hold more than 5 picks ($n_gone)"
expect_exit 0 -- ing hole.sgy --labels a/picks.csv --out h.h5
[ "$(grep -c 'missing traces' "$work/err")" = 1 ] && ok || bad "one warning line: $(cat "$work/err")"
grep -qF "warning: $n_gone labels on missing traces of hole.sgy skipped (--strict refuses them): a/picks.csv rows $rows, ..." \
  "$work/err" && ok || bad "count and first rows ($n_gone: $rows): $(cat "$work/err")"
grep -q "$((n_all - n_gone)) labels seen" "$work/out" && ok || bad "the others ingested: $(cat "$work/out")"
n_1008=$(awk -F, 'NR > 1 && $1 == 1008 && $2 == 2019' a/picks.csv | wc -l)
expect_exit 0 -- ing hole.sgy --labels a/picks.csv --out h8.h5 --lines 1008:1008
[ "$n_1008" -gt 1 ] && ok || bad "picks on the dropped trace of 1008: $n_1008"
grep -q "warning: $n_1008 labels on missing traces" "$work/err" && ok || bad "only --lines counted: $(cat "$work/err")"
expect_exit 1 -- ing hole.sgy --labels a/picks.csv --out s.h5 --strict
expect_one_line_naming a/picks.csv
grep -qF "row ${rows%%,*}: inline 1002 crossline" "$work/err" && grep -q 'missing trace in the survey hole.sgy' \
  "$work/err" && ok || bad "--strict names the first row: $(cat "$work/err")"
[ ! -e s.h5 ] && ok || bad "--strict wrote a dataset"
# --strict refuses only what the lines asked for hold: crosslines 2014..2019 of inline 1002 are all there.
expect_exit 0 -- ing hole.sgy --labels a/picks.csv --out s5.h5 --lines 1002:1002 --crosslines 2014:2019 --strict
grep -q 'missing trace' "$work/err" && bad "--strict with --lines looked outside them: $(cat "$work/err")" || ok
printf 'inline,crossline,time_ms,facies\n1002,2005,40,1\n1030,2005,40,1\n' > off.csv
expect_exit 1 -- ing hole.sgy --labels off.csv --out o.h5
expect_one_line_naming off.csv
grep -q 'row 3: inline 1030 crossline 2005 is off the survey grid (inlines 1000..1011 step 1' "$work/err" && ok ||
  bad "off the grid stays an error: $(cat "$work/err")"

# --- 4. A label SEG-Y in another dialect (standard bytes, crossline-sorted, part of the survey) on a survey whose
# numbers sit at bytes 9/17: the same patches as the label volume's own dialect, and as the whole volume cut by
# --lines/--crosslines.
"$SEGY_REWRITE" a/survey.sgy s9.sgy --bytes 9,17
"$SEGY_REWRITE" a/labels.sgy part.sgy --lines 1002:1008 --crosslines 2003:2016 --crossline-sorted
expect_exit 0 -- ing a/survey.sgy --labels part.sgy --out ref.h5 --quiet
expect_exit 0 -- ing a/survey.sgy --labels a/labels.sgy --lines 1002:1008 --crosslines 2003:2016 --out cut.h5
n_cut=$(grep -o '^cut.h5: [0-9]* patches' "$work/out" | grep -o '[0-9]* patches')
[ "$n_cut" = "$((7 * 14 * 60)) patches" ] && ok || bad "every sample of 7 x 14 traces is labelled: $n_cut"
expect_exit 0 -- ing s9.sgy --iline-byte 9 --xline-byte 17 --labels-iline-byte 189 --labels-xline-byte 193 \
  --labels part.sgy --out new.h5
grep -q "^new.h5: $n_cut" "$work/out" && ok || bad "dialects: $n_cut wanted: $(cat "$work/out")"
grep -q 'warning\|note' "$work/err" && bad "nothing to warn of: $(cat "$work/err")" || ok
same_h5 new.h5 ref.h5
same_h5 new.h5 cut.h5
expect_exit 1 -- ing s9.sgy --iline-byte 9 --xline-byte 17 --labels part.sgy --out x.h5
expect_one_line_naming part.sgy
grep -q 'bytes 9/17.*--labels-iline-byte' "$work/err" && ok || bad "names the bytes and the way out: $(cat "$work/err")"
# The label volume's own geometry errors name the label flags, not the survey's.
expect_exit 1 -- ing a/survey.sgy --labels a/labels.sgy --labels-iline-byte 189 --labels-xline-byte 189 --out x.h5
grep -q 'a/labels.sgy: traces 1 and 2 are both at inline 1000 crossline 1000 (bytes 189/189); each cell must hold one trace: check --labels-iline-byte and --labels-xline-byte$' \
  "$work/err" && ok || bad "label geometry error names the survey's flags: $(cat "$work/err")"
expect_exit 2 -- ing a/survey.sgy --labels a/picks.csv --labels-iline-byte 9 --out x.h5
grep -q -- '--labels-iline-byte/--labels-xline-byte has no effect without a label SEG-Y' "$work/err" && ok ||
  bad "label bytes without a label SEG-Y: $(cat "$work/err")"
# A label volume larger than the survey: the traces beyond it noted, the rest used.
"$SEGY_REWRITE" a/survey.sgy mid.sgy --lines 1002:1008
expect_exit 0 -- ing mid.sgy --labels a/labels.sgy --out mid.h5
grep -q "note: $((240 - 7 * 20)) label SEG-Y traces off the survey's grid ignored" "$work/err" && ok ||
  bad "off-grid label traces noted: $(cat "$work/err")"
grep -q "$((7 * 20 * 60)) labels seen" "$work/out" && ok || bad "the survey's part labelled: $(cat "$work/out")"
# Missing traces on either side: label traces the survey lacks are counted (by trace), the survey's unlabelled
# traces just get no labels.
expect_exit 0 -- ing hole.sgy --labels part.sgy --out hp.h5
grep -q "warning: 2 labels on missing traces of hole.sgy skipped (--strict refuses them): part.sgy traces " \
  "$work/err" && ok || bad "label traces on missing survey traces: $(cat "$work/err")"
grep -q "$((7 * 14 * 60 - 2 * 60)) labels seen" "$work/out" && ok || bad "the rest kept: $(cat "$work/out")"
"$SEGY_REWRITE" part.sgy part_holes.sgy --drop 1003:2004 --drop 1005:2010
expect_exit 0 -- ing a/survey.sgy --labels part_holes.sgy --out ph.h5
grep -q "$((7 * 14 * 60 - 2 * 60)) labels seen" "$work/out" && ok || bad "label volume with holes: $(cat "$work/out")"
# Samples, interval and start time must agree: one line naming both values.
"$SEGY_REWRITE" a/labels.sgy late.sgy --delay 8
expect_exit 1 -- ing a/survey.sgy --labels late.sgy --out x.h5
expect_one_line_naming late.sgy
grep -q 'samples start at 8 ms every 4 ms, the survey.s at 0 ms every 4 ms' "$work/err" && ok || bad "start: $(cat "$work/err")"
"$SEGY_REWRITE" a/labels.sgy fine.sgy --interval 2000
expect_exit 1 -- ing a/survey.sgy --labels fine.sgy --out x.h5
grep -q 'every 2 ms, the survey.s at 0 ms every 4 ms' "$work/err" && ok || bad "interval: $(cat "$work/err")"
"$F" synth short --inlines 12 --crosslines 20 --samples 50 >/dev/null
expect_exit 1 -- ing a/survey.sgy --labels short/labels.sgy --out x.h5
expect_one_line_naming short/labels.sgy
grep -q 'label traces have 50 samples, the survey a/survey.sgy.s 60' "$work/err" && ok || bad "count: $(cat "$work/err")"

# --- 2. eval of a facies volume holding some lines: the overlap scores as the whole volume restricted to them.
expect_exit 0 -- "$F" eval b/labels.sgy --labels a/labels.sgy --lines 1003:1005 --json
scores >full.json
grep -q '"samples": 3600' full.json && ok || bad "3 x 20 traces x 60 samples scored: $(cat full.json)"
"$SEGY_REWRITE" b/labels.sgy some.sgy --lines 1003:1005
expect_exit 0 -- "$F" eval some.sgy --labels a/labels.sgy --json
scores | diff -u full.json - >/dev/null && ok || bad "partial eval differs from the full one on those lines"
grep -q '"outside": {"labels": 180, "facies_traces": 0}' "$work/out" && ok || bad "outside in JSON: $(cat "$work/out")"
[ "$(wc -l <"$work/err")" = 1 ] && grep -qF 'facies eval: scored the overlap of some.sgy and a/labels.sgy: 180 label traces outside the facies volume, 0 facies traces without a label trace' \
  "$work/err" && ok || bad "one line counting both sides: $(cat "$work/err")"
# In the survey's custom dialect, crossline-sorted: the same scores.
"$SEGY_REWRITE" b/labels.sgy some9.sgy --lines 1003:1005 --bytes 9,17 --crossline-sorted
expect_exit 0 -- "$F" eval some9.sgy --iline-byte 9 --xline-byte 17 --labels-iline-byte 189 --labels-xline-byte 193 \
  --labels a/labels.sgy --json
scores | diff -u full.json - >/dev/null && ok || bad "partial eval in another dialect differs"
# Labels covering part of the facies volume: facies traces outside counted.
expect_exit 0 -- "$F" eval b/labels.sgy --labels a/labels.sgy --lines 1002:1008 --crosslines 2003:2016 --json
scores >part.json
expect_exit 0 -- "$F" eval b/labels.sgy --labels part.sgy --json
scores | diff -u part.json - >/dev/null && ok || bad "eval against partial labels differs"
grep -q "0 label traces outside the facies volume, $((240 - 7 * 14)) facies traces without a label trace" "$work/err" &&
  ok || bad "facies side counted: $(cat "$work/err")"
# Picks and horizons: those outside the facies volume are counted, not refused.
"$SEGY_REWRITE" b/labels.sgy first.sgy --lines 1000:1004
expect_exit 0 -- "$F" eval b/labels.sgy --labels a/picks.csv --lines 1000:1004 --json
scores >picks.json
expect_exit 0 -- "$F" eval first.sgy --labels a/picks.csv --json
scores | diff -u picks.json - >/dev/null && ok || bad "partial eval by picks differs"
n_out=$(awk -F, 'NR > 1 && $1 > 1004' a/picks.csv | wc -l)
grep -q "scored the overlap of first.sgy and a/picks.csv: $n_out picks outside the facies volume" "$work/err" && ok ||
  bad "picks outside counted ($n_out): $(cat "$work/err")"
expect_exit 0 -- "$F" eval b/labels.sgy --labels a/horizons/intervals.csv --lines 1000:1004 --json
scores >hz.json
expect_exit 0 -- "$F" eval first.sgy --labels a/horizons/intervals.csv --json
scores | diff -u hz.json - >/dev/null && ok || bad "partial eval by horizons differs"
# No overlap at all: one line.
"$SEGY_REWRITE" a/labels.sgy far.sgy --lines 1008:1011
expect_exit 1 -- "$F" eval some.sgy --labels far.sgy
expect_one_line_naming far.sgy
grep -q 'no trace of the label volume (inlines 1008..1011, crosslines 2000..2019 from bytes 189/193) is on a trace of the survey some.sgy (inlines 1003..1005' \
  "$work/err" && ok || bad "no overlap: $(cat "$work/err")"
expect_exit 1 -- "$F" eval some.sgy --labels a/picks.csv
expect_one_line_naming a/picks.csv
grep -q "no label lies on a trace of the facies volume some.sgy ($n_all labels outside it)" "$work/err" && ok ||
  bad "no overlap (picks): $(cat "$work/err")"
expect_exit 1 -- "$F" eval some.sgy --labels late.sgy
expect_one_line_naming late.sgy
grep -q 'samples start at 8 ms every 4 ms, the survey.s at 0 ms' "$work/err" && ok || bad "eval start time: $(cat "$work/err")"

# The real F3 crop (int16, t0 = 4 ms), when the real data folder is there: its numbers moved to bytes 9/17,
# crossline-sorted, one trace dropped; a pick there is skipped, the others ingested.
f3=${FACIES_REALDATA:-}/segyio-testdata/f3.sgy
if [ -f "$f3" ]; then
  "$SEGY_REWRITE" "$f3" f3x.sgy --bytes 9,17 --crossline-sorted --drop 120:880
  printf 'inline,crossline,time_ms,facies\n115,880,100,1\n120,880,100,2\n125,885,200,1\n' > f3.csv
  expect_exit 0 -- ing "$f3" --labels f3.csv --out f3a.h5
  grep -q '3 labels seen' "$work/out" && ok || bad "f3: $(cat "$work/out")"
  expect_exit 0 -- ing f3x.sgy --iline-byte 9 --xline-byte 17 --labels f3.csv --out f3b.h5
  grep -q '2 labels seen' "$work/out" && grep -q 'warning: 1 label on a missing trace of f3x.sgy skipped (--strict refuses it): f3.csv row 3$' \
    "$work/err" && ok || bad "f3 with a hole: $(cat "$work/out" "$work/err")"
else
  echo "no real data folder: F3 checks skipped"
fi

for verb in ingest eval; do
  expect_exit 0 -- "$F" $verb --help
  grep -q -- '--labels-iline-byte N, --labels-xline-byte N' "$work/out" && ok || bad "$verb --help names the label bytes"
done
finish
