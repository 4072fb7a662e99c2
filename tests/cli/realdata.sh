# facies info on every file of ../shared/realdata: described correctly, or
# refused with exit 1 and one clear line; never a signal or a hang.
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

# Training from the one inline of F3 inline 362, labelled with three zones bounded by its two interpreted horizons
# (a horizon-interval table): validation on a block of its crosslines, named or chosen by the seed.
f3=$R/f3-inline362/derived
grep -v '^#' "$f3/inline362_horizons_top_base.txt" | awk -v d="$work" '{
  print $1, $2, 0 > (d "/surface.txt"); print $1, $2, $3 > (d "/top.txt")
  print $1, $2, $4 > (d "/base.txt"); print $1, $2, 1848 > (d "/bottom.txt") }'
printf 'top_horizon,base_horizon,facies\nsurface.txt,top.txt,1\ntop.txt,base.txt,2\nbase.txt,bottom.txt,3\n' \
  >"$work/zones.csv"
expect_exit 0 -- "$FACIES" ingest "$f3/f3_inline362.sgy" --labels "$work/zones.csv" --patch 33 --per-class 200 \
  --out "$work/f3.h5" --quiet
expect_exit 0 -- "$FACIES" train "$work/f3.h5" --out "$work/f3m.h5" --epochs 1 --threads 1 \
  --arch conv8-pool-conv16-pool-flatten-dense16-dense --val-traces 1000:1100
grep -q 'validation traces 1000\.\.1100 (crosslines of inline 362): [1-9][0-9]* patches; training: [1-9]' \
  "$work/err" && [ -s "$work/f3m.h5" ] && ok || bad "F3 inline 362, --val-traces: $(cat "$work/err")"
expect_exit 0 -- "$FACIES" train "$work/f3.h5" --out "$work/f3m.h5" --epochs 1 --threads 1 \
  --arch conv8-pool-conv16-pool-flatten-dense16-dense
grep -q 'validation traces [0-9]*\.\.[0-9]* (crosslines of inline 362): [1-9]' "$work/err" && ok \
  || bad "F3 inline 362, default block: $(cat "$work/err")"

finish
