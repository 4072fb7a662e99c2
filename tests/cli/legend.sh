# The legend travels with the facies SEG-Y (issue 23): its textual header (wrapped values, the input's own
# lines below, one CLASS line per class), FACIES.sgy.classes.csv beside it, and eval reading it back, in code order.
. "$(dirname "$0")/lib.sh"
cd "$work"
"$FACIES" synth s --inlines 8 --crosslines 20 --samples 48 --quiet || bad "synth"
# A legend listed out of code order, as a user may write it.
printf 'code,name,colour\n6,salt,#7b3294\n3,chaotic,#b2182b\n1,parallel_high,#2166ac\n2,parallel_low,#92c5de\n4,clinoform,#f4a582\n5,channel,#ffd700\n' > cls.csv
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --classes cls.csv --patch 9 --per-class 30 --out p.h5 --quiet || bad "ingest"
"$FACIES" train p.h5 --out m.h5 --epochs 1 --arch conv4-pool-flatten-dense --threads 1 --quiet --allow-empty-classes || bad "train"
expect_exit 0 -- "$FACIES" apply m.h5 s/survey.sgy --out f.sgy --quiet --threads 1
printf 'code,name,colour\n6,salt,#7b3294\n3,chaotic,#b2182b\n1,parallel_high,#2166ac\n2,parallel_low,#92c5de\n4,clinoform,#f4a582\n5,channel,#ffd700\n' > want.csv
cmp -s f.sgy.classes.csv want.csv && ok || bad "f.sgy.classes.csv: $(cat f.sgy.classes.csv 2>&1)"
ls ./*.partial >/dev/null 2>&1 && bad "temporary files left" || ok
python3 -c 'import sys; t = open(sys.argv[1], "rb").read(3200).decode("cp037")
print("\n".join(t[i:i + 80] for i in range(0, 3200, 80)))' f.sgy > text.txt
[ "$(wc -l < text.txt)" = 40 ] && ok || bad "40 header lines"
# One CLASS line per class, in the legend's order, right after the LEGEND line (the lines above it vary: a
# calibrated model adds its temperature).
grep -A1 '^C[0-9][0-9] LEGEND CLASS CODE COLOUR NAME' text.txt | grep -q '^C[0-9][0-9] CLASS 6 #7b3294 salt' && ok || bad "legend lines: $(cat text.txt)"
[ "$(sed -n 's/^C[0-9][0-9] CLASS \([0-9]\) .*/\1/p' text.txt | tr -d '\n')" = 631245 ] && ok || bad "CLASS lines in legend order: $(cat text.txt)"
grep -q '^C40 END TEXTUAL HEADER' text.txt && ok || bad "C40 end line"
grep -q 'INPUT SURVEY TEXTUAL HEADER:' text.txt && grep -q 'SYNTHETIC SEISMIC' text.txt && ok ||
  bad "input header kept: $(cat text.txt)"
awk '{ if (substr($0, 1, 1) != "C" || substr($0, 2, 2) + 0 != NR) bad = 1 } END { exit bad }' text.txt && ok ||
  bad "C01..C40 numbering"

# eval without --classes: names from the header, rows and columns in code order.
expect_exit 0 -- "$FACIES" eval f.sgy --labels s/labels.sgy
grep -q '^1 *parallel_high' "$work/out" && grep -q '^6 *salt' "$work/out" && ok || bad "eval names: $(cat "$work/out")"
[ "$(grep -E '^[1-6] +[a-z]' "$work/out" | awk '{print $1}' | tr -d '\n')" = 123456 ] && ok ||
  bad "eval rows in code order: $(cat "$work/out")"
grep -q '^ *1 *2 *3 *4 *5 *6$' "$work/out" && ok || bad "confusion columns in code order: $(cat "$work/out")"
expect_exit 0 -- "$FACIES" eval f.sgy --labels s/labels.sgy --json
grep -q '"code": 1, "name": "parallel_high"' "$work/out" && ok || bad "eval --json names"
finish
