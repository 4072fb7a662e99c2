# Nonsense refused with a usage line instead of a quiet, meaningless run: files of the wrong kind or in the wrong
# place, --png-lines that name no classified line, options that have no effect without another; small wording.
. "$(dirname "$0")/lib.sh"
cd "$work"
"$FACIES" synth s --inlines 12 --crosslines 40 --samples 64 --quiet || bad "synth"
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --patch 17 --per-class 60 --out p.h5 --quiet || bad "ingest"
"$FACIES" train p.h5 --out m.h5 --epochs 1 --arch conv4-pool-flatten-dense --quiet || bad "train"
"$FACIES" apply m.h5 s/survey.sgy --out f.sgy --probabilities pr.h5 --quiet || bad "apply"

# Files of the wrong kind, told from their content, named with what belongs there.
expect_exit 2 -- "$FACIES" apply s/survey.sgy m.h5 --out x.sgy
expect_line_naming "s/survey.sgy is a SEG-Y survey, but MODEL.h5 comes first: facies apply MODEL.h5 SURVEY.sgy"
expect_exit 2 -- "$FACIES" apply p.h5 s/survey.sgy --out x.sgy
expect_line_naming "p.h5 is a patch dataset (facies ingest output), not a model"
expect_exit 2 -- "$FACIES" apply m.h5 pr.h5 --out x.sgy
expect_line_naming "pr.h5 is a probability volume (facies apply --probabilities output), not a SEG-Y survey"
expect_exit 2 -- "$FACIES" summary p.h5
expect_line_naming "facies summary: p.h5 is a patch dataset (facies ingest output), not a model"
expect_exit 2 -- "$FACIES" info m.h5
expect_line_naming "m.h5 is a model (facies train output), not a SEG-Y survey"
expect_exit 2 -- "$FACIES" train m.h5 --out m2.h5
expect_line_naming "m.h5 is a model (facies train output), not a patch dataset"
expect_exit 2 -- "$FACIES" train p.h5 --init s/picks.csv --out m2.h5
expect_line_naming "--init s/picks.csv is a text file, not a model"
expect_exit 2 -- "$FACIES" ingest s/survey.sgy --labels m.h5 --out q.h5
expect_line_naming "--labels m.h5 is a model (facies train output), not labels"
expect_exit 2 -- "$FACIES" ingest s/picks.csv --labels s/labels.sgy --out q.h5
expect_line_naming "s/picks.csv is a text file, not a SEG-Y survey"
expect_exit 2 -- "$FACIES" ingest s/survey.sgy --labels s/picks.csv --classes s/labels.sgy --out q.h5
expect_line_naming "--classes s/labels.sgy is a SEG-Y survey, not a legend CSV"
expect_exit 2 -- "$FACIES" eval pr.h5 --labels s/labels.sgy
expect_line_naming "pr.h5 is a probability volume"
# ingest --append reads the dataset it adds to: another kind of file there is named, before any work.
cp m.h5 mcopy.h5
refused 2 mcopy.h5 "--out mcopy.h5 is a model (facies train output), not a patch dataset (facies ingest output) to add to" -- \
  "$FACIES" ingest s/survey.sgy --labels s/picks.csv --out mcopy.h5 --append
# Binary bytes without a NUL are not "a text file": left to the reader, which says what is wrong.
printf '\211\001\002\177\377\020\033 binary' > junk.bin
expect_exit 1 -- "$FACIES" summary junk.bin
expect_one_line_naming junk.bin
grep -q 'text file' "$work/err" && bad "binary called text: $(cat "$work/err")" || ok
expect_exit 2 -- "$FACIES" summary s/picks.csv
expect_line_naming "s/picks.csv is a text file, not a model"
[ ! -e x.sgy ] && [ ! -e m2.h5 ] && [ ! -e q.h5 ] && ok || bad "a refused run wrote something"

# --png-lines: ranges and lists; a number that is not a classified line is refused before any work.
expect_exit 0 -- "$FACIES" apply m.h5 s/survey.sgy --out f2.sgy --png pics --png-lines 1001,1004:1006 --quiet
[ "$(cd pics && ls | tr '\n' ' ')" = "inline_1001.png inline_1004.png inline_1005.png inline_1006.png " ] && ok \
  || bad "pictures of 1001,1004:1006: $(ls pics)"
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy --out x.sgy --png pics2 --png-lines 1001,999
expect_line_naming "--png-lines 999: no inline 999" "1000..1011" "(see 'facies apply --help')"
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy --out x.sgy --png pics2 --png-lines 1003 --lines 1005:1008
expect_line_naming "no inline 1003" "1005..1008"
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy --out x.sgy --png pics2 --png-lines 1003 --orientation crossline
expect_line_naming "no crossline 1003" "2000..2039"
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy --out x.sgy --png pics2 --png-lines 1020:1030
expect_line_naming "no inline 1020:1030"
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy --out x.sgy --png pics2 --png-lines 1005:1001
[ ! -e x.sgy ] && [ ! -e x.sgy.partial ] && ok || bad "apply wrote output for a refused --png-lines"

# A 2-D line has no inline numbers to choose and one section to draw: --lines and --png-lines are refused (they
# chose among an invisible "line 0"), naming --crosslines; --crosslines works.
"$MAKE_FIXTURE" line2d.sgy line2d || bad "fixture"
printf 'trace,time_ms,facies\n2,8,1\n5,12,2\n' > line2d.csv
expect_exit 2 -- "$FACIES" apply m.h5 line2d.sgy --out x.sgy --lines 0:0
expect_line_naming "--lines has no effect on line2d.sgy: a 2-D line has no inlines to choose" "--crosslines"
expect_exit 2 -- "$FACIES" apply m.h5 line2d.sgy --out x.sgy --png pics2 --png-lines 0
expect_line_naming "--png-lines has no effect on line2d.sgy: a 2-D line is one section, always drawn whole"
expect_exit 2 -- "$FACIES" ingest line2d.sgy --labels line2d.csv --patch 9 --lines 0:5 --out q.h5
expect_line_naming "--lines has no effect on line2d.sgy"
[ ! -e x.sgy ] && [ ! -e q.h5 ] && [ ! -e pics2 ] && ok || bad "a refused 2-D run wrote something"
expect_exit 0 -- "$FACIES" apply m.h5 line2d.sgy --out l2.sgy --crosslines 1002:1006 --quiet
expect_exit 2 -- "$FACIES" eval l2.sgy --labels line2d.csv --lines 0:0
expect_line_naming "--lines has no effect on l2.sgy"
expect_exit 0 -- "$FACIES" eval l2.sgy --labels line2d.csv --crosslines 1002:1006
grep -q '^samples scored: 2$' "$work/out" && ok || bad "2-D eval by CDPs: $(cat "$work/out")"

# Options that do nothing without another are refused, not ignored.
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy --out x.sgy --png-lines 1001
expect_line_naming "--png-lines has no effect without --png" "(see 'facies apply --help')"
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy --out x.sgy --uncertainty entropy
expect_line_naming "--uncertainty has no effect without --confidence" "(see 'facies apply --help')"
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy --out x.sgy --probabilities-u8
expect_line_naming "--probabilities-u8 has no effect without --probabilities"
expect_exit 2 -- "$FACIES" train p.h5 --out m2.h5 --momentum 0.5
expect_line_naming "--momentum has no effect without --optimizer sgd"
expect_exit 2 -- "$FACIES" train p.h5 --out m2.h5 --val-lines 1000:1002 --val-fraction 0.3
expect_line_naming "--val-fraction has no effect with --val-lines"
expect_exit 2 -- "$FACIES" train p.h5 --out m2.h5 --val-lines 1000:1002 --random-split
expect_line_naming "--val-lines has no effect with --random-split"
expect_exit 2 -- "$FACIES" ingest s/survey.sgy --labels s/picks.csv --unlabelled 2 --out q.h5
expect_line_naming "--unlabelled has no effect without a label SEG-Y"
expect_exit 2 -- "$FACIES" ingest s/survey.sgy --labels s/picks.csv --per-class 0 --seed 4 --out q.h5
expect_line_naming "--seed has no effect with --per-class 0"
expect_exit 2 -- "$FACIES" eval f.sgy --labels s/picks.csv --unlabelled 2
expect_line_naming "--unlabelled has no effect without a label SEG-Y"

# Small ones: no doubled prefix; a one-line survey in info; a patch taller than the traces gets a note; every
# verb's options (shared survey options included) line up in one column.
expect_exit 2 -- "$FACIES" synth x --freq 1000
grep -q 'synth: synth:' "$work/err" && bad "doubled prefix: $(cat "$work/err")" || ok
# A number out of range names its option ("'0' must be a whole number" left the user to guess which).
expect_exit 2 -- "$FACIES" synth x --crosslines 0
expect_line_naming "--crosslines '0' must be a whole number from 1 to 100000"
expect_exit 2 -- "$FACIES" synth x --noise lots
expect_line_naming "--noise 'lots' is not a number"
expect_exit 2 -- "$FACIES" train p.h5 --out m2.h5 --epochs 0
expect_line_naming "--epochs '0' must be a whole number from 1 to 100000"
expect_exit 2 -- "$FACIES" train p.h5 --out m2.h5 --batch 5000
expect_line_naming "--batch '5000' must be a whole number from 1 to 4096"
"$FACIES" synth one --inlines 1 --crosslines 20 --samples 40 --quiet || bad "synth one line"
expect_exit 0 -- "$FACIES" info one/survey.sgy --stats-traces 0
grep -q '^inlines       1000 (1 line, byte 189)$' "$work/out" && ok || bad "one-line survey: $(cat "$work/out")"
expect_exit 0 -- "$FACIES" ingest s/survey.sgy --labels s/picks.csv --patch 101x17 --out tall.h5
grep -q 'note: patch height 101 is taller than the traces (64 samples)' "$work/err" && ok || bad "no note: $(cat "$work/err")"
for verb in info synth ingest train summary apply eval map suggest; do
  "$FACIES" $verb --help >"$work/help"
  cols=$(awk '/^  -/ { s = $0; sub(/^  -([^ ]| [^ ])*  +/, "", s); if (s != $0) print length($0) - length(s) }' \
    "$work/help" | sort -u | wc -l)
  [ "$cols" = 1 ] && ok || bad "$verb --help: option descriptions start in $cols columns"
done
finish
