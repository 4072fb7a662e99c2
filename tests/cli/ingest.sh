# facies ingest: the sample survey with every label kind, checked independently with h5py;
# progress lines in logs; append; bad input gives one line and writes nothing.
. "$(dirname "$0")/lib.sh"
S=$(cd "$(dirname "$0")/../.." && pwd)/survey_samples
check_py=$(cd "$(dirname "$0")/.." && pwd)/py/check_patches.py
cd "$work"

have_h5py=0
/usr/bin/python3 -c 'import h5py, numpy' 2>/dev/null && have_h5py=1

expect_exit 0 -- "$FACIES" ingest "$S/survey.sgy" --labels "$S/labels.sgy" --classes "$S/classes.csv" \
  --out vol.h5 --per-class 300 --orientation both
grep -q 'ingest: 144/144 sections (100%)' "$work/err" && ok || bad "plain progress lines on a non-terminal: $(cat "$work/err")"
grep -q '1:600 2:600 3:600 4:600 5:600 6:600' "$work/out" && ok || bad "per-class balance (300 labels x 2 orientations): $(cat "$work/out")"
if [ $have_h5py = 1 ]; then
  # The default store: half floats, which h5py reads as float16.
  /usr/bin/python3 "$check_py" vol.h5 "$S/survey.sgy" "$S/labels.sgy" float16 >"$work/py" 2>&1 && ok || bad "h5py check: $(tail -5 "$work/py")"
fi

expect_exit 0 -- "$FACIES" ingest "$S/survey.sgy" --labels "$S/picks.csv" --out picks.h5 --quiet --patch 31x21 \
  --dtype float32
[ -s "$work/err" ] && bad "--quiet still printed: $(cat "$work/err")" || ok
if [ $have_h5py = 1 ]; then
  /usr/bin/python3 "$check_py" picks.h5 "$S/survey.sgy" "$S/labels.sgy" float32 >"$work/py" 2>&1 && ok || bad "h5py check (picks): $(tail -5 "$work/py")"
fi
expect_exit 0 -- "$FACIES" ingest "$S/survey.sgy" --labels "$S/picks.csv" --out int8.h5 --patch 31x21 --dtype int8
grep -q 'patches 31x21 int8 ' "$work/out" && ok || bad "summary names the dtype: $(cat "$work/out")"
if [ $have_h5py = 1 ]; then
  /usr/bin/python3 "$check_py" int8.h5 "$S/survey.sgy" "$S/labels.sgy" int8 >"$work/py" 2>&1 && ok || bad "h5py check (int8): $(tail -5 "$work/py")"
fi
expect_exit 0 -- "$FACIES" ingest "$S/survey.sgy" --labels "$S/horizons/intervals.csv" --classes "$S/classes.csv" \
  --out picks.h5 --append --patch 31x21 --per-class 50 --lines 1010:1020
grep -q 'rows in all' "$work/out" && grep -q ' float32 (' "$work/out" && ok || bad "append summary, the file's dtype kept: $(cat "$work/out")"

# Bad input: one line naming the file, exit 1, nothing written, existing file untouched.
cp picks.h5 keep.h5
printf 'inline,crossline,time_ms,facies\n1000,2000,100,1\n1000,9999,100,1\n' > off.csv
expect_exit 1 -- "$FACIES" ingest "$S/survey.sgy" --labels off.csv --out new.h5
expect_one_line_naming off.csv
grep -q 'row 3' "$work/err" && ok || bad "row named"
[ ! -e new.h5 ] && [ ! -e new.h5.partial ] && ok || bad "nothing written on bad input"
expect_exit 1 -- "$FACIES" ingest "$S/survey.sgy" --labels "$S/picks.csv" --out picks.h5 --append --patch 33
expect_one_line_naming picks.h5
cmp -s picks.h5 keep.h5 && ok || bad "a refused append changed the dataset"
# --append keeps the file's dtype: naming another is refused (both named), the file untouched.
expect_exit 1 -- "$FACIES" ingest "$S/survey.sgy" --labels "$S/picks.csv" --out picks.h5 --append --patch 31x21 \
  --dtype int8
expect_one_line_naming picks.h5
grep -q 'stores patches as float32; cannot append int8' "$work/err" && ok || bad "dtype mismatch named: $(cat "$work/err")"
cmp -s picks.h5 keep.h5 && ok || bad "a refused append (dtype) changed the dataset"
expect_exit 2 -- "$FACIES" ingest "$S/survey.sgy" --labels "$S/picks.csv" --out x.h5 --dtype float64
expect_line_naming "--dtype must be float32, float16 or int8"

expect_exit 2 -- "$FACIES" ingest "$S/survey.sgy" --out x.h5
expect_exit 2 -- "$FACIES" ingest "$S/survey.sgy" --labels a --out x.h5 --patch 64
expect_exit 2 -- "$FACIES" ingest "$S/survey.sgy" --labels a --out x.h5 --orientation sideways
expect_exit 2 -- "$FACIES" ingest "$S/survey.sgy" --labels a --out x.h5 --attributes colour
expect_exit 0 -- "$FACIES" ingest --help
grep -q -- '--per-class' "$work/out" && ok || bad "ingest --help"

finish
