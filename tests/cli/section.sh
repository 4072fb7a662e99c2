# facies train on patches from one section (one inline, one crossline): validation on a block of its traces,
# named with --val-traces or chosen by the seed and logged; --val-lines cannot split one inline.
. "$(dirname "$0")/lib.sh"
cd "$work"
arch=conv4-pool-flatten-dense16-dense
"$FACIES" synth s --inlines 16 --crosslines 60 --samples 64 --quiet || bad "synth"
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --classes s/classes.csv --patch 21 --per-class 80 \
  --lines 1005:1005 --out il.h5 --quiet || bad "ingest one inline"

# Without --val-traces: a block of the inline's crosslines, logged.
expect_exit 0 -- "$FACIES" train il.h5 --out m.h5 --epochs 1 --arch $arch --threads 1
grep -q 'validation traces 20[0-9][0-9]\.\.20[0-9][0-9] (crosslines of inline 1005): [1-9][0-9]* patches; training: [1-9]' \
  "$work/err" && ok || bad "default block of traces: $(cat "$work/err")"
[ -s m.h5 ] && grep -q '^best epoch' "$work/out" && ok || bad "no model from one inline"

# Named block: the log says which, and every patch is counted once (validation, training or dropped).
expect_exit 0 -- "$FACIES" train il.h5 --out m.h5 --epochs 1 --arch $arch --threads 1 --val-traces 2040:2049
line=$(grep 'validation traces' "$work/err")
case $line in *'validation traces 2040..2049 (crosslines of inline 1005): '*) ok;; *) bad "named block: $line";; esac
sum=$(echo "$line" | sed 's/.*: \([0-9]*\) patches; training: \([0-9]*\) patches; \([0-9]*\) dropped.*/\1 + \2 + \3/')
[ "$((sum))" = 480 ] && ok || bad "patches counted: $sum of 480: $line"

# Refusals: one line saying what to use instead.
expect_exit 2 -- "$FACIES" train il.h5 --out x.h5 --val-lines 1005:1005
expect_line_naming "inline 1005" "--val-traces"
expect_exit 2 -- "$FACIES" train il.h5 --out x.h5 --val-traces 3000:3010
expect_line_naming "--val-traces" "2000..2059"
expect_exit 2 -- "$FACIES" train il.h5 --out x.h5 --val-traces 2040:2049 --val-lines 1005:1005
expect_line_naming "--val-traces and --val-lines"
expect_exit 2 -- "$FACIES" train il.h5 --out x.h5 --val-traces 2040:2049 --random-split
expect_line_naming "--val-traces has no effect with --random-split"
expect_exit 2 -- "$FACIES" train il.h5 --out x.h5 --val-traces 2040-2049
expect_line_naming "--val-traces '2040-2049' must be A:B"
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --classes s/classes.csv --patch 21 --per-class 80 \
  --out all.h5 --quiet || bad "ingest the volume"
expect_exit 2 -- "$FACIES" train all.h5 --out x.h5 --val-traces 2040:2049
expect_line_naming "--val-traces" "--val-lines"
[ -e x.h5 ] && bad "a refused run wrote a model" || ok

# One crossline of crossline sections: the block is of inlines along it.
"$FACIES" synth c --inlines 60 --crosslines 16 --samples 64 --quiet || bad "synth"
"$FACIES" ingest c/survey.sgy --labels c/labels.sgy --classes c/classes.csv --patch 21 --per-class 80 \
  --crosslines 2007:2007 --orientation crossline --out xl.h5 --quiet || bad "ingest one crossline"
expect_exit 0 -- "$FACIES" train xl.h5 --out mx.h5 --epochs 1 --arch $arch --threads 1
grep -q 'validation traces 10[0-9][0-9]\.\.10[0-9][0-9] (inlines of crossline 2007)' "$work/err" && ok \
  || bad "default block along a crossline: $(cat "$work/err")"
expect_exit 0 -- "$FACIES" train xl.h5 --out mx.h5 --epochs 1 --arch $arch --threads 1 --val-traces 1030:1039
grep -q 'validation traces 1030\.\.1039 (inlines of crossline 2007): [1-9]' "$work/err" && ok \
  || bad "named block along a crossline: $(cat "$work/err")"
finish
