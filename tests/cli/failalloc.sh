# Out of memory: facies_failalloc is facies with its own allocations (not those of HDF5, segyio, BLAS, cairo or the
# OpenMP runtime) routed through a failing allocator (tests/failalloc.c). Along a tiny synth, ingest (new, over an
# existing dataset, --append; label SEG-Y, picks, horizons, X/Y picks), train (new, --resume), apply (new outputs,
# over earlier ones with --step, both orientations with --probabilities-segy, an ensemble with flip and
# disagreement; a two-tower model of --scales), eval --probabilities, map (a window about an X/Y horizon, a time
# slice) and suggest, every
# allocation in turn is made to fail: each such run exits 1 with one line saying "out of memory" (no crash, and under
# AddressSanitizer no leak report, which would add lines), leaves no temporary file, writes nothing under a final
# name, and an output already there stays byte for byte as it was. Train keeps what it saved before the failure (the
# best model so far and the checkpoint, as after a kill): those must be whole.
. "$(dirname "$0")/lib.sh"
cd "$work"
# The OpenBLAS kernel choice may re-execute the program, which would start the count afresh: not wanted here.
export FACIES_NO_BLAS_SELECT=1
"$FACIES" synth s --inlines 6 --crosslines 8 --samples 32 --quiet || bad "synth"
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --patch 9 --per-class 10 --out p.h5 --quiet || bad "ingest"
"$FACIES" train p.h5 --out m.h5 --epochs 1 --random-split --arch conv2-pool-flatten-dense --quiet || bad "train"
# The earlier outputs come from another model, so that a failed run's replacing them would show.
"$FACIES" train p.h5 --out m0.h5 --epochs 1 --random-split --arch conv2-pool-flatten-dense --seed 7 --quiet || bad "train"
"$FACIES" apply m0.h5 s/survey.sgy --out f.sgy --probabilities pr.h5 --confidence c.sgy --png pics --quiet ||
  bad "apply"
# A run to resume: its checkpoint after the first of two epochs.
"$FACIES" train p.h5 --out r.h5 --epochs 1 --random-split --arch conv2-pool-flatten-dense --quiet || bad "train"
mkdir keep && cp -r p.h5 m.h5 r.* f.sgy f.sgy.classes.csv pr.h5 c.sgy pics keep/

# unchanged FILE...: each output already there is what it was before the failed run.
unchanged() {
  local f
  for f in "$@"; do cmp -s "$f" "keep/$f" || echo "; $f changed"; done
}
# absent FILE...: none of these was written. (Section pictures are not among them: each is drawn, whole, as its
# section is done, and a failed run keeps those it drew, as a killed one does.)
absent() {
  local f
  for f in "$@"; do [ ! -e "$f" ] || echo "; $f written"; done
}
# complete_model FILE: a model left by a failed train (the best epoch so far, saved before the failure) or its
# checkpoint is whole.
complete_model() {
  [ ! -e "$1" ] || "$FACIES" summary "$1" >/dev/null 2>&1 || echo "; $1 is damaged"
}

# walk NAME CHECK -- COMMAND...: count the allocations of a normal run of COMMAND, then run it once for each of them
# failing that one; after each, CHECK prints what is wrong with the files (nothing when all is well).
walk() {
  local name=$1 check=$2
  shift 3
  FACIES_ALLOC_REPORT=$work/report "$@" >/dev/null 2>&1 || bad "$name: the run without failures failed"
  local total made failed n rc left problems=0
  read -r total failed <report
  [ "${total:-0}" -gt 10 ] || bad "$name: only ${total:-no} allocations counted"
  eval "$check" >/dev/null # restore what the normal run wrote (or, for new outputs, drop it)
  for n in $(seq 1 "$total"); do
    FACIES_FAIL_ALLOC=$n FACIES_ALLOC_REPORT=$work/report "$@" >"$work/out" 2>"$work/err"
    rc=$?
    read -r made failed <report
    local why=
    [ "$failed" = 1 ] || why="allocation $n of $total never made (made $made)"
    [ "$rc" = 1 ] || why="$why; exit $rc"
    [ "$(wc -l <"$work/err")" = 1 ] && grep -q '^facies\( [a-z]*\)\?: .*out of memory' "$work/err" ||
      why="$why; stderr: $(head -c 600 "$work/err")"
    left=$(find . -name '*.partial*')
    [ -z "$left" ] || why="$why; left $(echo $left)"
    why="$why$(eval "$check")"
    if [ -n "$why" ]; then
      bad "$name, allocation $n failing: $why"
      problems=$((problems + 1))
    fi
  done
  [ "$problems" = 0 ] && ok
  echo "$name: $total allocations, each failed in turn"
}

restore() { rm -rf pics && cp -r keep/* .; }

walk "synth" 'rm -rf new.s' -- "$FACIES_FAILALLOC" synth new.s --inlines 6 --crosslines 8 --samples 32 --quiet
walk "ingest (new file)" 'absent new.h5; rm -f new.h5' -- \
  "$FACIES_FAILALLOC" ingest s/survey.sgy --labels s/labels.sgy --patch 9 --per-class 10 --out new.h5 --quiet
walk "ingest (over a dataset)" 'unchanged p.h5; restore' -- \
  "$FACIES_FAILALLOC" ingest s/survey.sgy --labels s/picks.csv --patch 9 --per-class 10 --out p.h5 --quiet
walk "ingest --append" 'unchanged p.h5; restore' -- \
  "$FACIES_FAILALLOC" ingest s/survey.sgy --labels s/horizons/intervals.csv --patch 9 --per-class 10 --orientation both \
  --out p.h5 --append --quiet
walk "train" 'complete_model new.h5; rm -f new.*' -- \
  "$FACIES_FAILALLOC" train p.h5 --out new.h5 --epochs 1 --random-split --arch conv2-pool-flatten-dense --balance sample \
  --augment --threads 2 --quiet
walk "train --resume" 'complete_model r.h5; complete_model r.checkpoint.h5; restore' -- \
  "$FACIES_FAILALLOC" train p.h5 --out r.h5 --epochs 2 --random-split --arch conv2-pool-flatten-dense --threads 2 \
  --resume --quiet
walk "apply (new files)" 'absent new.sgy new.sgy.classes.csv new.h5 new.c.sgy; rm -rf new.*' -- \
  "$FACIES_FAILALLOC" apply m.h5 s/survey.sgy --out new.sgy --probabilities new.h5 --confidence new.c.sgy \
  --png new.pics --threads 2 --quiet
walk "apply (over earlier outputs)" 'unchanged f.sgy f.sgy.classes.csv pr.h5 c.sgy; restore' -- \
  "$FACIES_FAILALLOC" apply m.h5 s/survey.sgy --out f.sgy --probabilities pr.h5 --confidence c.sgy --png pics \
  --step 2 --format int8 --lines 1001:1004 --threads 2 --quiet
walk "apply (both orientations)" 'absent new.sgy new.sgy.classes.csv; rm -rf new.*' -- \
  "$FACIES_FAILALLOC" apply m.h5 s/survey.sgy --out new.sgy --orientation inline,crossline --method direct \
  --probabilities-segy new.classes --threads 2 --quiet
[ -z "$(ls new.classes 2>/dev/null)" ] && ok || bad "class files written: $(ls new.classes)"
walk "apply (ensemble, flip, disagreement)" 'absent new.sgy new.sgy.classes.csv new.c.sgy; rm -rf new.*' -- \
  "$FACIES_FAILALLOC" apply m.h5 s/survey.sgy --model m0.h5 --tta flip --out new.sgy --confidence new.c.sgy \
  --uncertainty disagreement --orientation inline,crossline --threads 2 --quiet
walk "eval --probabilities" 'absent new.png; rm -f new.png' -- \
  "$FACIES_FAILALLOC" eval f.sgy --labels s/labels.sgy --probabilities pr.h5 --reliability-png new.png
# Maps, with a horizon in X/Y (the coordinate fit) and X/Y picks.
awk 'BEGIN { print "x y time_ms" } { print 600000 + 25 * ($2 - 2000), 6000000 + 25 * ($1 - 1000), $3 }' \
  s/horizons/H2.txt >hxy.txt
awk -F, 'NR == 1 { print "x,y,time_ms,facies"; next } { print 600000 + 25 * ($2 - 2000) "," 6000000 + 25 * ($1 - 1000) "," $3 "," $4 }' \
  s/picks.csv >pxy.csv
walk "map --window" 'absent mp.csv mp.png; rm -f mp.csv mp.png' -- \
  "$FACIES_FAILALLOC" map s/labels.sgy --horizon hxy.txt --window -8:8 --classes s/classes.csv --out mp --quiet
walk "map --time-slice" 'absent mp.csv mp.png; rm -f mp.csv mp.png' -- \
  "$FACIES_FAILALLOC" map s/labels.sgy --time-slice 40 --out mp --quiet
# Where to label next: labelled lines from the model's provenance, pictures; from picks, by disagreement.
"$FACIES" apply m.h5 s/survey.sgy --model m0.h5 --out fe.sgy --probabilities pe.h5 --confidence de.sgy \
  --uncertainty disagreement --quiet || bad "apply (ensemble)"
walk "suggest (provenance, pictures)" 'absent sg.csv; rm -rf sg.csv sgp' -- \
  "$FACIES_FAILALLOC" suggest pr.h5 --out sg.csv --png sgp --top 2 --min-distance 1 --quiet
walk "suggest (picks, disagreement)" 'absent sg.csv; rm -f sg.csv' -- \
  "$FACIES_FAILALLOC" suggest pe.h5 --out sg.csv --labels s/picks.csv --disagreement de.sgy --quiet
walk "ingest (X/Y picks)" 'absent new.h5; rm -f new.h5' -- \
  "$FACIES_FAILALLOC" ingest s/survey.sgy --labels pxy.csv --patch 9 --per-class 10 --out new.h5 --quiet
# Several scales: the low-pass, the towers, the sweep per tower and sub-grid.
walk "ingest --scales" 'absent new.h5; rm -f new.h5' -- \
  "$FACIES_FAILALLOC" ingest s/survey.sgy --labels s/labels.sgy --patch 9 --per-class 10 --scales 1,2 --out new.h5 --quiet
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --patch 9 --per-class 10 --scales 1,2 --out p2.h5 --quiet || bad "ingest"
"$FACIES" train p2.h5 --out m2.h5 --epochs 1 --random-split --arch conv2-pool-flatten-dense --quiet || bad "train"
walk "train (towers)" 'complete_model new.h5; rm -f new.*' -- \
  "$FACIES_FAILALLOC" train p2.h5 --out new.h5 --epochs 1 --random-split --arch conv2-pool-flatten-dense --threads 2 --quiet
walk "apply (towers)" 'absent new.sgy new.sgy.classes.csv; rm -rf new.*' -- \
  "$FACIES_FAILALLOC" apply m2.h5 s/survey.sgy --out new.sgy --threads 2 --quiet
finish
