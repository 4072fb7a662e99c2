# Disk full (simulated with a file-size limit, SIGXFSZ ignored so writes fail with EFBIG): every writer reports it
# in one line with exit 1, leaves no temporary file, and an existing output stays intact.
. "$(dirname "$0")/lib.sh"
cd "$work"
"$FACIES" synth s --inlines 10 --crosslines 24 --samples 64 --quiet || bad "synth"
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --patch 15 --per-class 50 --out p.h5 --quiet || bad "ingest"
"$FACIES" train p.h5 --out m.h5 --epochs 1 --random-split --arch conv4-pool-flatten-dense --quiet || bad "train"
"$FACIES" apply m.h5 s/survey.sgy --out f.sgy --quiet || bad "apply"
cp p.h5 p0.h5; cp m.h5 m0.h5; cp f.sgy f0.sgy

limited() { (ulimit -f 40; trap '' XFSZ; exec "$@"); }
check() { # file that must be unchanged, its copy
  cmp -s "$1" "$2" && ok || bad "$1 was damaged"
  ls ./*.partial s2/*.partial >/dev/null 2>&1 && bad "temporary files left: $(ls ./*.partial s2/*.partial 2>/dev/null)" || ok
}
expect_exit 1 -- limited "$FACIES" ingest s/survey.sgy --labels s/labels.sgy --patch 15 --per-class 0 --out p.h5 --quiet
grep -q 'disk full' "$work/err" && [ "$(wc -l < "$work/err")" = 1 ] && ok || bad "ingest: $(cat "$work/err")"
check p.h5 p0.h5
expect_exit 1 -- limited "$FACIES" train p.h5 --out m.h5 --epochs 1 --random-split --arch conv32-pool-flatten-dense256-dense --quiet
grep -q 'disk full' "$work/err" && ok || bad "train: $(cat "$work/err")"
check m.h5 m0.h5
expect_exit 1 -- limited "$FACIES" apply m0.h5 s/survey.sgy --out f.sgy --probabilities pr.h5 --quiet
grep -q 'disk full' "$work/err" && ok || bad "apply: $(cat "$work/err")"
check f.sgy f0.sgy
[ ! -e pr.h5 ] && ok || bad "probabilities written despite the failure"
expect_exit 1 -- limited "$FACIES" synth s2 --inlines 30 --crosslines 30 --quiet
grep -q 'disk full' "$work/err" && ok || bad "synth: $(cat "$work/err")"
finish
