# Pictures from apply (issue 23): a reused --png folder holds this run's pictures only (others' files are left),
# the log names what was written and removed; a 2-D line is named by its file and CDP range; the training
# history picture is written.
. "$(dirname "$0")/lib.sh"
cd "$work"
"$FACIES" synth s --inlines 8 --crosslines 20 --samples 48 --quiet || bad "synth"
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --patch 9 --per-class 30 --out p.h5 --quiet || bad "ingest"
"$FACIES" train p.h5 --out m.h5 --epochs 2 --arch conv4-pool-flatten-dense --threads 1 --quiet || bad "train"
[ -s m.history.png ] && ok || bad "history picture"

mkdir -p png
touch png/inline_9999.png png/crossline_3.png png/keep.png png/notes.txt
expect_exit 0 -- "$FACIES" apply m.h5 s/survey.sgy --out f.sgy --png png --threads 1
[ "$(ls png | tr '\n' ' ')" = "inline_1000.png inline_1003.png inline_1007.png keep.png notes.txt " ] && ok ||
  bad "png folder after a reused run: $(ls png)"
grep -q 'picture: png/inline_1003.png' "$work/err" && ok || bad "written pictures logged: $(cat "$work/err")"
# 20 traces x 48 samples keep their shape: 6 pixels a trace and a sample (not stretched over 500 pixels), the
# picture 46 + 288 + 64 pixels high and the narrowest canvas that holds axis, legend and title (560) wide.
[ "$(png_size png/inline_1003.png)" = "560 398" ] && ok || bad "inline picture size: $(png_size png/inline_1003.png)"
grep -q 'removed the old png/inline_9999.png' "$work/err" && grep -q 'removed the old png/crossline_3.png' "$work/err" &&
  ok || bad "removed pictures logged: $(cat "$work/err")"
expect_exit 0 -- "$FACIES" apply m.h5 s/survey.sgy --out f2.sgy --png png --png-lines 1002 --threads 1
[ "$(ls png | tr '\n' ' ')" = "inline_1002.png keep.png notes.txt " ] && ok || bad "second run: $(ls png)"

# A 2-D line: named by the file and its CDP range, not "line 0".
"$MAKE_FIXTURE" line2d.sgy line2d || bad "fixture"
expect_exit 0 -- "$FACIES" apply m.h5 line2d.sgy --out l.sgy --png png2 --threads 1
ls png2/line2d_cdp_*-*.png >/dev/null 2>&1 && ok || bad "2-D picture name: $(ls png2) $(cat "$work/err")"
ls png2/line_*.png >/dev/null 2>&1 && bad "2-D picture still named line_N" || ok
finish
