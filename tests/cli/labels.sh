# facies ingest/train on label mistakes (issue 23): times in seconds, conflicting labels, --classes against
# excluded lines, classes without patches, the common column spellings and tab separators.
. "$(dirname "$0")/lib.sh"
S=$(cd "$(dirname "$0")/../.." && pwd)/survey_samples
cd "$work"
ing() { "$FACIES" ingest "$S/survey.sgy" --patch 9 --quiet "$@"; }

# Seconds under time_ms: every pick would snap to sample 0.
printf 'inline,crossline,time_ms,facies\n1002,2021,0.020,2\n1003,2021,0.240,1\n1004,2030,0.1,3\n' > secs.csv
expect_exit 1 -- ing --labels secs.csv --out x.h5
expect_one_line_naming secs.csv
grep -q 'milliseconds' "$work/err" && ok || bad "seconds: says milliseconds: $(cat "$work/err")"
expect_exit 1 -- "$FACIES" eval "$S/labels.sgy" --labels secs.csv # eval scored them all at sample 0
expect_one_line_naming secs.csv
grep -q 'milliseconds' "$work/err" && ok || bad "eval: seconds: $(cat "$work/err")"
printf 'inline,crossline,time_ms,facies\n1002,2021,0.020,2\n' > one.csv # the issue's own line, alone
expect_exit 1 -- ing --labels one.csv --out x.h5
expect_one_line_naming one.csv
grep -q 'the only time, 0.02 ms.*milliseconds' "$work/err" && ok || bad "one pick in seconds: $(cat "$work/err")"
printf 'inline,crossline,time_ms,facies\n1002,2021,0,2\n' > top.csv # at the first sample: a real time
expect_exit 0 -- ing --labels top.csv --out x.h5
mkdir -p hs
printf '1000 2000 0.010\n1000 2001 0.012\n' > hs/top.txt
printf '1000 2000 0.500\n1000 2001 0.600\n' > hs/base.txt
printf 'Top_Horizon\tBase_Horizon\tFacies\ntop.txt\tbase.txt\t1\n' > hs/intervals.csv # any case, tabs
expect_exit 1 -- ing --labels hs/intervals.csv --out x.h5
expect_one_line_naming hs/top.txt
grep -q 'milliseconds' "$work/err" && ok || bad "horizon seconds: $(cat "$work/err")"

# Conflicting codes at one position, within a file and across files: one warning line, or refused with --strict.
printf 'inline,crossline,time_ms,facies\n1002,2021,100,2\n1003,2021,200,1\n1002,2021,100,3\n' > clash.csv
printf 'inline,crossline,time_ms,facies\n1003,2021,200,4\n1010,2030,300,4\n' > clash2.csv
expect_exit 0 -- ing --labels clash.csv --labels clash2.csv --out c.h5
[ "$(grep -c 'conflicting facies' "$work/err")" = 1 ] && ok || bad "one conflict warning line: $(cat "$work/err")"
grep -q 'warning: 2 labelled positions got conflicting' "$work/err" && ok || bad "conflicts counted: $(cat "$work/err")"
grep -q 'inline 1002 crossline 2021 sample 25: 2 (clash.csv row 2) vs 3 (clash.csv row 4)' "$work/err" && ok ||
  bad "first conflict named by rows: $(cat "$work/err")"
grep -q '1 (clash.csv row 3) vs 4 (clash2.csv row 2)' "$work/err" && ok || bad "sources named: $(cat "$work/err")"
expect_exit 1 -- ing --labels clash.csv --labels clash2.csv --out s.h5 --strict
expect_one_line_naming clash.csv
[ ! -e s.h5 ] && ok || bad "--strict wrote a dataset"
expect_exit 0 -- ing --labels "$S/picks.csv" --out p.h5
grep -q 'conflicting' "$work/err" && bad "no conflicts in the sample picks: $(cat "$work/err")" || ok
# eval says so too, and scores each position once, with the code ingest keeps (it scored both codes before).
printf 'inline,crossline,time_ms,facies\n1002,2021,100,2\n1003,2021,200,1\n1002,2021,100,3\n1002,2021,100,3\n' > eclash.csv
expect_exit 0 -- "$FACIES" eval "$S/labels.sgy" --labels eclash.csv
grep -q '^facies eval: warning: 1 labelled position got conflicting facies (each is scored once, with the higher code' \
  "$work/err" && grep -q '2 (eclash.csv row 2) vs 3 (eclash.csv row 4)' "$work/err" && ok ||
  bad "eval names the conflict: $(cat "$work/err")"
grep -q '^samples scored: 2$' "$work/out" && ok || bad "each position scored once: $(cat "$work/out")"
expect_exit 0 -- "$FACIES" eval "$S/labels.sgy" --labels eclash.csv --json
grep -q '"conflicts": 1,' "$work/out" && ok || bad "eval --json conflicts: $(cat "$work/out")"
expect_exit 0 -- "$FACIES" eval "$S/labels.sgy" --labels "$S/picks.csv" --json
grep -q '"conflicts": 0,' "$work/out" && [ ! -s "$work/err" ] && ok || bad "sample picks: no conflict: $(cat "$work/err")"

# --classes is checked on what is ingested: a code outside --lines/--crosslines does not matter.
printf 'code,name,colour\n1,a,#ff0000\n2,b,#00ff00\n' > two.csv
printf 'inline,crossline,time_ms,facies\n1002,2021,100,1\n1003,2022,100,2\n1040,2021,100,9\n1003,2090,100,9\n' > far.csv
expect_exit 0 -- ing --labels far.csv --classes two.csv --lines 1000:1010 --crosslines 2000:2050 --out f.h5
expect_exit 1 -- ing --labels far.csv --classes two.csv --lines 1000:1010 --out f2.h5
grep -q 'far.csv: row 5: facies code 9 is not in the classes file (inline 1003 crossline 2090 sample 25)' \
  "$work/err" && ok || bad "code on an ingested line refused by row: $(cat "$work/err")"

# Classes without patches: ingest warns naming them, train refuses unless --allow-empty-classes.
printf 'code,name,colour\n1,a,#ff0000\n2,b,#00ff00\n5,channel,#ffff00\n6,salt,#ff00ff\n' > six.csv
expect_exit 0 -- ing --labels far.csv --classes six.csv --lines 1000:1010 --crosslines 2000:2050 --out e.h5
grep -q 'warning: 2 classes without patches in e.h5: 5 (channel), 6 (salt)' "$work/err" && ok ||
  bad "ingest warns of empty classes: $(cat "$work/err")"
expect_exit 1 -- "$FACIES" train e.h5 --out m.h5 --epochs 1 --arch conv4-pool-flatten-dense --threads 1 --quiet
expect_one_line_naming e.h5
grep -q '5 (channel), 6 (salt)' "$work/err" && grep -q -- '--allow-empty-classes' "$work/err" && ok ||
  bad "train names the empty classes: $(cat "$work/err")"
[ ! -e m.h5 ] && ok || bad "refused train wrote a model"
expect_exit 0 -- "$FACIES" train e.h5 --out m.h5 --epochs 1 --arch conv4-pool-flatten-dense --threads 1 --quiet \
  --allow-empty-classes --val-fraction 0.5 --random-split

# Column spellings, any case, tab separators; `color` in classes.csv.
printf 'Inline\tCrossline\tTime_ms\tFacies\n1002\t2021\t100\t1\n1003\t2022\t100\t2\n' > tab.txt
expect_exit 0 -- ing --labels tab.txt --out t.h5
grep -q 'patches' "$work/err" && bad "tab picks: $(cat "$work/err")" || ok
printf 'ILINE,XLINE,TWT_MS,CODE\n1002,2021,100,1\n1003,2022,100,2\n' > caps.csv
printf 'Code\tName\tColor\n1\tsand\t#ff0000\n2\tshale\t#00ff00\n' > color.tsv
expect_exit 0 -- ing --labels caps.csv --classes color.tsv --out u.h5
# The separator is told from the header: semicolons (with decimal commas in the times), blanks (as horizon files
# have), quoted fields; the same labels as the plain file. A legend and an interval table likewise.
printf 'inline,crossline,time_ms,facies\n1002,2021,100.5,1\n1003,2022,100,2\n' > plain2.csv
printf '"Inline";"Crossline";"Time_ms";"Facies"\n1002;2021;100,5;1\n1003;2022;100;2\n' > semi.csv
printf 'inline  crossline time_ms   facies \n  1002 2021  100.5 1\n\n1003\t2022 100 2  \n' > blanks.txt
printf '"code";"name";"colour"\n1;"sand, clean";#ff0000\n2;shale;#00ff00\n' > semi_classes.csv
for f in plain2.csv semi.csv blanks.txt; do
  expect_exit 0 -- "$FACIES" ingest "$S/survey.sgy" --patch 9 --labels "$f" --classes semi_classes.csv --out "$f.h5"
  grep -o '[0-9]* labels seen, [0-9]* kept' "$work/out" >"$f.seen"
done
grep -q '^2 labels seen, 2 kept$' plain2.csv.seen && cmp -s plain2.csv.seen semi.csv.seen && cmp -s plain2.csv.seen blanks.txt.seen &&
  ok || bad "semicolons, blanks and quotes: $(cat ./*.seen)"
mkdir -p hb && cp "$S"/horizons/H[012].txt hb/
printf '"top_horizon";"base_horizon";"facies"\n"H0.txt";"H1.txt";2\n' > hb/semi.csv
printf 'top_horizon base_horizon facies\nH0.txt  H1.txt   2\n' > hb/blanks.txt
expect_exit 0 -- ing --labels hb/semi.csv --out hs.h5
expect_exit 0 -- ing --labels hb/blanks.txt --out hb.h5
expect_exit 0 -- ing --help
grep -q -- '--strict' "$work/out" && ok || bad "ingest --help names --strict"
expect_exit 0 -- "$FACIES" train --help
grep -q -- '--allow-empty-classes' "$work/out" && ok || bad "train --help names --allow-empty-classes"

# A spreadsheet's export: a UTF-8 byte-order mark, then a header line longer than 255 bytes (many attribute
# columns): read as picks, the same labels as the plain file.
printf 'inline,crossline,time_ms,facies\n1002,2021,20,2\n1003,2021,240,1\n1004,2030,100,3\n' > plain.csv
{
  printf '\xef\xbb\xbfinline,crossline,time_ms,facies'
  for i in $(seq 1 40); do printf ',attribute_number_%02d' "$i"; done
  printf '\n'
  tail -n +2 plain.csv | sed "s/\$/$(printf ',0%.0s' $(seq 1 40))/"
} > bom.csv
[ "$(head -1 bom.csv | wc -c)" -gt 256 ] && ok || bad "the header should be longer than 255 bytes"
expect_exit 0 -- "$FACIES" ingest "$S/survey.sgy" --patch 9 --labels plain.csv --out plain.h5
grep -o '[0-9]* labels seen, [0-9]* kept' "$work/out" >plain.seen
expect_exit 0 -- "$FACIES" ingest "$S/survey.sgy" --patch 9 --labels bom.csv --out bom.h5
grep -o '[0-9]* labels seen, [0-9]* kept' "$work/out" >bom.seen
grep -q '3 labels seen' plain.seen && cmp -s plain.seen bom.seen && ok || bad "BOM and long header: $(cat plain.seen bom.seen "$work/err")"

finish
