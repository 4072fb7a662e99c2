# Coordinates and maps: the grid fit in info, labels in X/Y, facies map checked sample by sample against the volume
# by an independent reader (tests/py/check_map.py), bad horizons refused with one line, and the real F3 files
# (their CDP X/Y and scalar) when ../shared/realdata is there.
. "$(dirname "$0")/lib.sh"
check=$(cd "$(dirname "$0")/.." && pwd)/py/check_map.py
PY=/usr/bin/python3
cd "$work"

json() { "$PY" -c "import json, sys; c = json.load(open('$1'))['coordinates']; print($2)"; }
# near A B TOL: |A - B| <= TOL
near() { "$PY" -c "import sys; sys.exit(0 if abs($1 - ($2)) <= $3 else 1)"; }

# 1. The fit: an axis-aligned grid and a rotated one with rectangular bins.
"$FACIES" synth a --inlines 6 --crosslines 9 --samples 40 --quiet || bad "synth a"
expect_exit 0 -- "$FACIES" info a/survey.sgy --json --stats-traces 0
cp out a.json
near "$(json a.json "c['inline_spacing']")" 25 1e-9 && near "$(json a.json "c['crossline_spacing']")" 25 1e-9 \
  && near "$(json a.json "c['azimuth_deg']")" 90 1e-9 && near "$(json a.json "c['max_misfit']")" 0 1e-6 \
  && [ "$(json a.json "[c['corners'][2][k] for k in ('inline', 'crossline', 'x', 'y')]")" = "[1005, 2008, 600200, 6000125]" ] \
  && ok || bad "axis-aligned fit: $(cat a.json)"
"$FACIES" synth r --inlines 12 --crosslines 16 --samples 64 --azimuth 30 --bin 12.5,25 --missing 0.1 --quiet \
  || bad "synth rotated"
expect_exit 0 -- "$FACIES" info r/survey.sgy --json --stats-traces 0
cp out r.json
near "$(json r.json "c['azimuth_deg']")" 30 0.001 && near "$(json r.json "c['crossline_spacing']")" 12.5 0.001 \
  && near "$(json r.json "c['inline_spacing']")" 25 0.001 && near "$(json r.json "c['max_misfit']")" 0 0.01 \
  && near "$(json r.json "c['corners'][1]['x']")" "600000 + 15 * 12.5 * 0.5" 0.01 \
  && near "$(json r.json "c['corners'][3]['y']")" "6000000 + 11 * 25 * 0.5" 0.01 \
  && ok || bad "rotated fit: $(cat r.json)"
expect_exit 0 -- "$FACIES" info r/survey.sgy --stats-traces 0
grep -Eq '^spacing       inlines 2[45]\.[0-9]{3} m apart, crosslines 12\.[45][0-9]{2} m apart; crosslines increase towards azimuth (29\.99|30\.00)[0-9] deg$' out \
  && ok || bad "info text: $(cat out)"
# Other bytes: source X/Y are zero in synth's headers, so no coordinates; one byte alone is a usage error.
expect_exit 0 -- "$FACIES" info r/survey.sgy --json --stats-traces 0 --x-byte 73 --y-byte 77
grep -q '"coordinates": null' out && ok || bad "--x-byte 73: $(cat out)"
expect_exit 2 -- "$FACIES" info r/survey.sgy --x-byte 73

# 2. Labels in X/Y: the X/Y twins of picks and horizons give exactly the patches of their inline/crossline originals.
to_xy='BEGIN { pi = atan2(0, -1); a = 30 * pi / 180; ux = sin(a); uy = cos(a) }
  function X(i, j) { return 600000 + (j - 2000) * 12.5 * ux - (i - 1000) * 25 * uy }
  function Y(i, j) { return 6000000 + (j - 2000) * 12.5 * uy + (i - 1000) * 25 * ux }'
awk -F, "$to_xy"' NR == 1 { print "x,y,time_ms,facies"; next } { printf "%.2f,%.2f,%s,%s\n", X($1, $2), Y($1, $2), $3, $4 }' \
  r/picks.csv >r/picks_xy.csv
expect_exit 0 -- "$FACIES" ingest r/survey.sgy --labels r/picks.csv --out p.h5 --quiet
expect_exit 0 -- "$FACIES" ingest r/survey.sgy --labels r/picks_xy.csv --out pxy.h5 --quiet
same_h5() {
  "$PY" -c "
import h5py, numpy as np, sys
a, b = h5py.File('$1', 'r'), h5py.File('$2', 'r')
sys.exit(0 if a['patches'].shape[0] > 0 and all(np.array_equal(a[k][:], b[k][:]) for k in ('patches', 'labels', 'positions')) else 1)"
}
same_h5 p.h5 pxy.h5 && ok || bad "X/Y picks differ from their inline/crossline twins"
mkdir r/hxy
for h in r/horizons/H*.txt; do
  awk "$to_xy"' BEGIN { print "x y time_ms" } { printf "%.2f %.2f %s\n", X($1, $2), Y($1, $2), $3 }' "$h" >r/hxy/"${h##*/}"
done
cp r/horizons/intervals.csv r/hxy/
expect_exit 0 -- "$FACIES" ingest r/survey.sgy --labels r/horizons/intervals.csv --per-class 40 --out h.h5 --quiet
expect_exit 0 -- "$FACIES" ingest r/survey.sgy --labels r/hxy/intervals.csv --per-class 40 --out hxy.h5 --quiet
same_h5 h.h5 hxy.h5 && ok || bad "X/Y horizons differ from their inline/crossline twins"
# Half a bin: 0.45 bin off a trace is that trace, 0.55 bin past the grid's edge is nobody's.
printf 'x,y,time_ms,facies\n%s,%s,100,1\n' "$(awk "$to_xy"' BEGIN { printf "%.3f", X(1000, 2000 - 0.45) }')" \
  "$(awk "$to_xy"' BEGIN { printf "%.3f", Y(1000, 2000 - 0.45) }')" >edge_in.csv
printf 'x,y,time_ms,facies\n%s,%s,100,1\n' "$(awk "$to_xy"' BEGIN { printf "%.3f", X(1000, 2000 - 0.55) }')" \
  "$(awk "$to_xy"' BEGIN { printf "%.3f", Y(1000, 2000 - 0.55) }')" >edge_out.csv
"$FACIES" ingest r/survey.sgy --labels edge_in.csv --out e.h5 --quiet 2>err_in
rc=$?
{ [ $rc = 0 ] || grep -q 'missing trace' err_in; } && ok || bad "0.45 bin off the corner trace: $(cat err_in)"
expect_exit 1 -- "$FACIES" ingest r/survey.sgy --labels edge_out.csv --out e.h5 --quiet
expect_one_line_naming edge_out.csv
grep -q 'row 2: .*farther than half a bin from every trace' err && ok || bad "off-grid X/Y pick: $(cat err)"
# X/Y on a survey without coordinates: refused, naming the file and what to give instead.
"$MAKE_FIXTURE" holes.sgy holes || bad "fixture"
printf 'x,y,time_ms,facies\n1,2,8,1\n' >nocoord.csv
expect_exit 1 -- "$FACIES" ingest holes.sgy --labels nocoord.csv --out n.h5 --quiet
expect_one_line_naming nocoord.csv
grep -q 'has no coordinates' err && ok || bad "X/Y without coordinates: $(cat err)"

# 3. Maps, checked sample by sample against the volume (labels.sgy is a facies volume with the legend's codes).
V=r/labels.sgy
expect_exit 0 -- "$FACIES" map $V --horizon r/horizons/H2.txt --out m_h --classes r/classes.csv
[ -s m_h.png ] && head -1 m_h.csv | grep -qx 'inline,crossline,x,y,time_ms,facies,name' && ok || bad "horizon map files"
grep -q '^facies map: [0-9]* of 192 grid cells mapped ([0-9]* without a trace' err && ok || bad "summary: $(cat err)"
"$PY" "$check" $V m_h.csv horizon r/horizons/H2.txt >log && ok || bad "horizon map: $(tail -3 log)"
expect_exit 0 -- "$FACIES" map $V --horizon r/hxy/H2.txt --out m_hxy --classes r/classes.csv
cmp -s m_h.csv m_hxy.csv && ok || bad "the X/Y horizon maps differently from its inline/crossline twin"
expect_exit 0 -- "$FACIES" map $V --horizon r/horizons/H2.txt --window -8:16 --out m_w --classes r/classes.csv
"$PY" "$check" $V m_w.csv window r/horizons/H2.txt -8 16 --classes r/classes.csv >log && ok || bad "window map: $(tail -3 log)"
# The checker can fail: the same map checked as another window.
"$PY" "$check" $V m_w.csv window r/horizons/H2.txt -8 20 --classes r/classes.csv >log && bad "checker passed a wrong window" || ok
expect_exit 0 -- "$FACIES" map $V --between r/horizons/H1.txt r/horizons/H3.txt --out m_b --classes r/classes.csv
"$PY" "$check" $V m_b.csv between r/horizons/H1.txt r/horizons/H3.txt --classes r/classes.csv >log && ok \
  || bad "between map: $(tail -3 log)"
expect_exit 0 -- "$FACIES" map $V --time-slice 100 --out m_t
"$PY" "$check" $V m_t.csv slice 100 >log && ok || bad "time slice: $(tail -3 log)"
# A horizon with holes: the rows of its holes are left out (and blank in the picture).
awk 'NR % 3' r/horizons/H2.txt >holey.txt
expect_exit 0 -- "$FACIES" map $V --horizon holey.txt --out m_holey --classes r/classes.csv
grep -q '[1-9][0-9]* horizon holes' err && ok || bad "holes not counted: $(cat err)"
"$PY" "$check" $V m_holey.csv horizon holey.txt >log && ok || bad "holey map: $(tail -3 log)"
# The picture: each class mapped shows in its legend colour beyond its legend swatch (18 x 14 pixels), and the
# holes add white: the holey map has more white than the full one, drawn on the same canvas.
"$PY" -c "
from PIL import Image
import csv, sys
im, full = Image.open('m_holey.png').convert('RGB'), Image.open('m_h.png').convert('RGB')
colours = {r['code']: tuple(int(r['colour'][k:k + 2], 16) for k in (1, 3, 5)) for r in csv.DictReader(open('r/classes.csv'))}
used = {r['facies'] for r in csv.DictReader(open('m_holey.csv'))}
px, white = list(im.getdata()), (255, 255, 255)
shown = all(px.count(colours[c]) > 18 * 14 for c in used)
sys.exit(0 if im.size == full.size and shown and px.count(white) > list(full.getdata()).count(white) else 1)" 2>log && ok \
  || bad "picture: legend colours or blank holes missing $(cat log)"
# Probabilities: a float volume maps values, means over windows.
expect_exit 0 -- "$FACIES" map r/survey.sgy --probability --horizon r/horizons/H2.txt --window -4:4 --out m_p
"$PY" "$check" r/survey.sgy m_p.csv window r/horizons/H2.txt -4 4 --probability >log && ok || bad "probability window: $(tail -3 log)"

# A facies volume from apply with its class files: the legend comes from the volume's textual header, and each
# class's probability column equals that class file's own map (itself checked against the samples).
"$FACIES" ingest r/survey.sgy --labels r/labels.sgy --patch 9 --per-class 20 --classes r/classes.csv --out t.h5 --quiet \
  && "$FACIES" train t.h5 --out t_m.h5 --epochs 1 --random-split --arch conv2-pool-flatten-dense --quiet \
  && "$FACIES" apply t_m.h5 r/survey.sgy --out t_f.sgy --probabilities-segy t_probs --quiet || bad "apply for maps"
expect_exit 0 -- "$FACIES" map t_f.sgy --horizon r/horizons/H2.txt --window -8:8 --probabilities t_probs --out m_fp
for c in t_probs/*.sgy; do
  name=$(basename "$c" .sgy); name=${name#*_}
  "$FACIES" map "$c" --probability --horizon r/horizons/H2.txt --window -8:8 --out "m_$name" --quiet || bad "map $c"
  "$PY" -c "
import csv, sys
a = {(r['inline'], r['crossline']): float(r['probability_$name']) for r in csv.DictReader(open('m_fp.csv'))}
b = {(r['inline'], r['crossline']): float(r['mean_probability']) for r in csv.DictReader(open('m_$name.csv'))}
sys.exit(0 if a and a.keys() == b.keys() and all(abs(a[k] - b[k]) <= 1e-5 for k in a) else 1)" && ok \
    || bad "probability_$name of the facies map differs from $c's own map"
done
"$PY" "$check" t_probs/3_chaotic.sgy m_chaotic.csv window r/horizons/H2.txt -8 8 --probability >log && ok \
  || bad "class file map: $(tail -3 log)"
mkdir t_few && cp t_probs/1_parallel_high.sgy t_few/
expect_exit 1 -- "$FACIES" map t_f.sgy --horizon r/horizons/H2.txt --probabilities t_few --out m_few
expect_one_line_naming t_few/2_parallel_low.sgy
expect_exit 2 -- "$FACIES" map t_f.sgy --horizon r/horizons/H2.txt --probabilities t_probs --probability --out m_few

# 4. Bad horizons and usage: one clear line each, nothing written.
awk '{ print $1 + 500, $2, $3 }' r/horizons/H2.txt >off.txt
expect_exit 1 -- "$FACIES" map $V --horizon off.txt --out bad1
expect_one_line_naming off.txt
grep -q 'none of its [0-9]* points lies on the survey' err && ok || bad "off survey: $(cat err)"
{ head -3 r/horizons/H2.txt; echo "1000 2005 nan"; } >nan.txt
expect_exit 1 -- "$FACIES" map $V --horizon nan.txt --out bad2
expect_one_line_naming nan.txt
grep -q 'row 4: time .nan. is not a number' err && ok || bad "NaN: $(cat err)"
expect_exit 1 -- "$FACIES" map $V --between r/horizons/H3.txt r/horizons/H1.txt --out bad3 --classes r/classes.csv
expect_one_line_naming H3.txt
grep -q 'cross at inline 1000 crossline 2000' err && ok || bad "crossing: $(cat err)"
expect_exit 1 -- "$FACIES" map $V --time-slice 9999 --out bad4
expect_one_line_naming labels.sgy
ls bad*.csv bad*.png bad*.partial >/dev/null 2>&1 && bad "a refused map left files" || ok
printf 'inline crossline foo\n' >hdr.txt
expect_exit 1 -- "$FACIES" map $V --horizon hdr.txt --out bad5
expect_one_line_naming hdr.txt
expect_exit 2 -- "$FACIES" map $V --out m
expect_exit 2 -- "$FACIES" map $V --horizon r/horizons/H2.txt --time-slice 100 --out m
expect_exit 2 -- "$FACIES" map $V --window -4:4 --time-slice 100 --horizon r/horizons/H2.txt --out m
expect_exit 2 -- "$FACIES" map $V --horizon r/horizons/H2.txt --window 4:-4 --out m
expect_exit 2 -- "$FACIES" map $V --between r/horizons/H1.txt --out m
# Same-file refusal: MAP.csv would be the horizon.
cp r/horizons/H2.txt h2.csv
refused 2 h2.csv "h2.csv" -- "$FACIES" map $V --horizon h2.csv --out h2
# Without the legend in the header, window fractions need --classes.
expect_exit 2 -- "$FACIES" map $V --horizon r/horizons/H2.txt --window -4:4 --out m
grep -q -- '--classes' err && ok || bad "no legend: $(cat err)"

# 5. Real data: F3's CDP X/Y with scalar -100 (segyio-testdata/f3.sgy), and F3 inline 362 without coordinates.
R=${FACIES_REALDATA:-}
if [ -n "$R" ] && [ -f "$R/segyio-testdata/f3.sgy" ]; then
  F3=$R/segyio-testdata/f3.sgy
  expect_exit 0 -- "$FACIES" info "$F3" --json --stats-traces 0
  cp out f3.json
  near "$(json f3.json "c['inline_spacing']")" 25 0.01 && near "$(json f3.json "c['crossline_spacing']")" 25 0.01 \
    && near "$(json f3.json "c['azimuth_deg']")" 88.40 0.01 && near "$(json f3.json "c['max_misfit']")" 0.05 0.05 \
    && ok || bad "F3 fit: $(cat f3.json)"
  # Picks and a horizon at each trace's own header X/Y, read independently.
  "$PY" -c "
import importlib.util, sys
spec = importlib.util.spec_from_file_location('cm', '$check'); cm = importlib.util.module_from_spec(spec); spec.loader.exec_module(cm)
tr, t0, dt, ns = cm.read_segy('$F3')
keys = sorted(tr)
with open('f3_picks.csv', 'w') as a, open('f3_picks_xy.csv', 'w') as b, open('f3_h.txt', 'w') as h:
    a.write('inline,crossline,time_ms,facies\n'); b.write('x,y,time_ms,facies\n'); h.write('x y time_ms\n')
    for n, (il, xl) in enumerate(keys):
        v, x, y = tr[(il, xl)]
        t = 40 + 4 * (n % 40)
        if n % 7 == 0:
            a.write(f'{il},{xl},{t},{1 + n % 3}\n'); b.write(f'{x:.2f},{y:.2f},{t},{1 + n % 3}\n')
        h.write(f'{x:.2f} {y:.2f} {100 + 0.37 * n:.2f}\n')
" || bad "F3 X/Y files"
  expect_exit 0 -- "$FACIES" ingest "$F3" --labels f3_picks.csv --patch 33 --out f3a.h5 --quiet
  expect_exit 0 -- "$FACIES" ingest "$F3" --labels f3_picks_xy.csv --patch 33 --out f3b.h5 --quiet
  same_h5 f3a.h5 f3b.h5 && ok || bad "F3: X/Y picks differ from their inline/crossline twins"
  expect_exit 0 -- "$FACIES" map "$F3" --probability --horizon f3_h.txt --window -8:8 --out f3map
  "$PY" "$check" "$F3" f3map.csv window f3_h.txt -8 8 --probability >log && ok || bad "F3 map: $(tail -3 log)"
  [ "$(wc -l <f3map.csv)" = 415 ] && ok || bad "F3 map rows: $(wc -l <f3map.csv)"
  L=$R/f3-inline362/derived
  awk '!/^#/ { print $1, $2, $3 > "top362.txt"; print $1, $2, $4 > "base362.txt" }' "$L/inline362_horizons_top_base.txt"
  expect_exit 0 -- "$FACIES" map "$L/f3_inline362.sgy" --probability --between top362.txt base362.txt --out l362
  grep -q 'no coordinates: x,y left empty' err && ok || bad "F3 362 without coordinates: $(cat err)"
  "$PY" "$check" "$L/f3_inline362.sgy" l362.csv between top362.txt base362.txt --probability >log && ok \
    || bad "F3 inline 362 between its horizons: $(tail -3 log)"
  # Real 2-D lines: the 1981 NPRA line has one X/Y on every trace (not coordinates); the Volve arbitrary line bends,
  # so its X/Y fit no straight grid and X/Y picks are refused rather than placed on the wrong trace.
  expect_exit 0 -- "$FACIES" info "$R/real-2d-lines/31_81_PR.SGY" --stats-traces 0
  grep -q '^coordinates   none (every trace has the same X/Y, 6000.00 65536.00)$' out && ok || bad "31_81: $(cat out)"
  printf 'x,y,time_ms,facies\n434107.64,6478326.47,100,1\n' >volve_xy.csv
  expect_exit 1 -- "$FACIES" ingest "$R/real-2d-lines/volve10r12-full-twt-arb.sgy" --labels volve_xy.csv --out v.h5
  expect_one_line_naming volve_xy.csv
  grep -q 'do not fit a regular grid (inline 0 crossline 138 lies 304.15 off it' err && ok || bad "Volve: $(cat err)"
else
  echo "no real data folder: real-data checks skipped"
fi
finish
