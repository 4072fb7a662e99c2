# facies info on every file of ../shared/realdata: described correctly, or
# refused with exit 1 and one clear line; never a signal or a hang. Then a first contact on the real F3
# inline and a real 2-D line (issue 23): horizon labels in seconds refused, the pictures' shape and names,
# the legend beside and in the facies SEG-Y, options a 2-D line has no use for refused.
. "$(dirname "$0")/lib.sh"
R=${FACIES_REALDATA:-}
if [ -z "$R" ] || [ ! -d "$R" ]; then echo "no real data folder: skipped"; exit 77; fi

while IFS= read -r -d '' f; do
  timeout 30 "$FACIES" info "$f" --json >"$work/out" 2>"$work/err"
  rc=$?
  case $rc in
    0) grep -q '"trace_count"' "$work/out" && ok || bad "$f: no JSON";;
    1) expect_one_line_naming "$f";;
    *) bad "$f: exit $rc (signal, hang or usage error): $(head -c 300 "$work/err")";;
  esac
done < <(find "$R" -type f \( -iname '*.sgy' -o -iname '*.su' -o -iname '*.segy' \) -print0)

# Facts about the real files.
field() { grep -o "\"$1\": [^,]*" "$work/out" | head -1 | sed 's/.*: //'; }
for f in f3.sgy f3-lsb.sgy; do
  expect_exit 0 -- "$FACIES" info "$R/segyio-testdata/$f" --json
  [ "$(field inline_count)" = 23 ] && [ "$(field crossline_count)" = 18 ] && [ "$(field sample_count)" = 75 ] \
    && [ "$(field sample_interval_ms)" = 4 ] && [ "$(field inline_first)" = 111 ] && [ "$(field crossline_last)" = 892 ] \
    && ok || bad "$f geometry: $(cat "$work/out")"
done
[ "$(field byte_order)" = '"little"' ] && ok || bad "f3-lsb byte order"
expect_exit 0 -- "$FACIES" info "$R/real-2d-lines/31_81_PR.SGY" --json
[ "$(field kind)" = '"2d"' ] && [ "$(field crossline_count)" = 534 ] && [ "$(field sample_count)" = 1501 ] && ok || bad "31_81 as a 2-D line"
expect_exit 0 -- "$FACIES" info "$R/segyio-testdata/delay-scalar.sgy" --json
[ "$(field start_time_ms)" = 1000 ] && ok || bad "delay scalar: $(field start_time_ms)"
expect_exit 1 -- "$FACIES" info "$R/segyio-testdata/long.sgy"
expect_exit 1 -- "$FACIES" info "$R/segyio-testdata/decrement.sgy"
expect_exit 1 -- "$FACIES" info "$R/segyio-testdata/small-ps.sgy"
grep -q 'pre-stack' "$work/err" && ok || bad "small-ps.sgy refused as pre-stack"

# F3 inline 362, labelled by its two interpreted horizons (and flat ones at the top and bottom).
cd "$work"
H="$R/f3-inline362/derived/inline362_horizons_top_base.txt"
grep -v '^#' "$H" | awk '{ print $1, $2, 4 }' > h0.txt
grep -v '^#' "$H" | awk '{ print $1, $2, $3 }' > top.txt
grep -v '^#' "$H" | awk '{ print $1, $2, $4 }' > base.txt
grep -v '^#' "$H" | awk '{ print $1, $2, 1844 }' > h3.txt
grep -v '^#' "$H" | awk '{ print $1, $2, $3 / 1000 }' > top_s.txt
grep -v '^#' "$H" | awk '{ print $1, $2, $4 / 1000 }' > base_s.txt
printf 'Top_Horizon\tBase_Horizon\tFacies\nh0.txt\ttop.txt\t1\ntop.txt\tbase.txt\t2\nbase.txt\th3.txt\t3\n' > zones.tsv
printf 'top_horizon,base_horizon,facies\ntop_s.txt,base_s.txt,2\n' > zones_s.csv
printf 'Code,Name,Color\n1,overburden,#92c5de\n2,interval,#f4a582\n3,below,#7b3294\n' > zones_classes.csv
F3="$R/f3-inline362/derived/f3_inline362.sgy"
expect_exit 1 -- "$FACIES" ingest "$F3" --labels zones_s.csv --out s.h5
expect_one_line_naming top_s.txt
grep -q 'the time_ms column is in milliseconds' "$work/err" && ok || bad "horizons in seconds: $(cat "$work/err")"
expect_exit 0 -- "$FACIES" ingest "$F3" --labels zones.tsv --classes zones_classes.csv --patch 17 --per-class 300 \
  --out f3.h5 --quiet
expect_exit 0 -- "$FACIES" train f3.h5 --out f3m.h5 --epochs 1 --random-split --arch conv4-pool-flatten-dense --quiet
expect_exit 0 -- "$FACIES" apply f3m.h5 "$F3" --out f3f.sgy --png f3png --quiet
# 951 traces x 463 samples at one scale across and down (1600 x 778 pixels of data), round numbers on the axes.
read -r w h < <(png_size f3png/inline_362.png)
awk -v w="$w" -v h="$h" 'BEGIN { a = (w - 310) / 951; b = (h - 110) / 463; exit !(a > 1.6 && a < 1.7 && a / b > 0.99 && a / b < 1.01) }' &&
  ok || bad "F3 inline picture keeps its shape: $w x $h"
[ "$(cat f3f.sgy.classes.csv)" = "$(printf 'code,name,colour\n1,overburden,#92c5de\n2,interval,#f4a582\n3,below,#7b3294')" ] &&
  ok || bad "legend beside the facies SEG-Y: $(cat f3f.sgy.classes.csv)"
/usr/bin/python3 -c 'import sys; t = open(sys.argv[1], "rb").read(3200).decode("cp037")
print("\n".join(t[i:i + 80] for i in range(0, 3200, 80)))' f3f.sgy > f3text.txt
grep -q '^C.. CLASS 2 #f4a582 interval' f3text.txt && grep -q '^C.. F3 NETHERLANDS OFFSHORE BLOCK, INLINE 362' f3text.txt &&
  ok || bad "facies and F3 textual header lines: $(cat f3text.txt)"
expect_exit 0 -- "$FACIES" eval f3f.sgy --labels zones.tsv
grep -q '^1 *overburden' "$work/out" && grep -q '^3 *below' "$work/out" && ok || bad "eval legend from the header: $(cat "$work/out")"
# The README's check of the F3 horizons against the seismic (scripts/f3_horizons.py): its figures as quoted there.
/usr/bin/python3 "$(dirname "$0")/../../scripts/f3_horizons.py" "$R" > hz.txt 2>&1 || bad "f3_horizons.py: $(cat hz.txt)"
grep -q '^top: like the training part  *0.34  0.57  0.68  0.50  0.66  0.71  0.21  0.03  0.30  0.33$' hz.txt &&
  grep -q '^base: neighbour coherence  *flattened on it 0.937, at its mean time 993 ms 0.978$' hz.txt && ok ||
  bad "f3_horizons.py figures: $(cat hz.txt)"

# A real 2-D line: the picture named and titled by file and CDP range, its shape kept; no --lines, --png-lines.
V="$R/real-2d-lines/volve10r12-full-twt-arb.sgy"
expect_exit 0 -- "$FACIES" apply f3m.h5 "$V" --out v.sgy --png vpng --quiet
[ "$(ls vpng)" = volve10r12-full-twt-arb_cdp_1-225.png ] && ok || bad "2-D picture name: $(ls vpng)"
read -r w h < <(png_size vpng/volve10r12-full-twt-arb_cdp_1-225.png)
awk -v w="$w" -v h="$h" 'BEGIN { a = (w - 310) / 225; b = (h - 110) / 850; exit !(a / b > 0.99 && a / b < 1.01) }' &&
  ok || bad "2-D picture keeps its shape: $w x $h"
expect_exit 2 -- "$FACIES" apply f3m.h5 "$V" --out v2.sgy --png vpng --png-lines 0
expect_line_naming "--png-lines has no effect on $V"
expect_exit 2 -- "$FACIES" apply f3m.h5 "$V" --out v2.sgy --lines 0:0
expect_line_naming "--lines has no effect on $V" "--crosslines"

# Training from the one inline of F3 inline 362, labelled with three zones bounded by its two interpreted horizons
# (a horizon-interval table): validation on a block of its crosslines, named or chosen by the seed.
f3=$R/f3-inline362/derived
grep -v '^#' "$f3/inline362_horizons_top_base.txt" | awk -v d="$work" '{
  print $1, $2, 0 > (d "/surface.txt"); print $1, $2, $3 > (d "/top.txt")
  print $1, $2, $4 > (d "/base.txt"); print $1, $2, 1848 > (d "/bottom.txt") }'
printf 'top_horizon,base_horizon,facies\nsurface.txt,top.txt,1\ntop.txt,base.txt,2\nbase.txt,bottom.txt,3\n' \
  >"$work/zones.csv"
expect_exit 0 -- "$FACIES" ingest "$f3/f3_inline362.sgy" --labels "$work/zones.csv" --patch 33 --per-class 200 \
  --out "$work/f3one.h5" --quiet
expect_exit 0 -- "$FACIES" train "$work/f3one.h5" --out "$work/f3onem.h5" --epochs 1 --threads 1 \
  --arch conv8-pool-conv16-pool-flatten-dense16-dense --val-traces 1000:1100
grep -q 'validation traces 1000\.\.1100 (crosslines of inline 362): [1-9][0-9]* patches; training: [1-9]' \
  "$work/err" && [ -s "$work/f3onem.h5" ] && ok || bad "F3 inline 362, --val-traces: $(cat "$work/err")"
expect_exit 0 -- "$FACIES" train "$work/f3one.h5" --out "$work/f3onem.h5" --epochs 1 --threads 1 \
  --arch conv8-pool-conv16-pool-flatten-dense16-dense
grep -q 'validation traces [0-9]*\.\.[0-9]* (crosslines of inline 362): [1-9]' "$work/err" && ok \
  || bad "F3 inline 362, default block: $(cat "$work/err")"

finish
