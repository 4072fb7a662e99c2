# SIGKILL at awkward moments: an existing output is never damaged, no half-written file appears under the final
# name, and --resume picks up cleanly (apply's resume is tested in apply.sh).
. "$(dirname "$0")/lib.sh"
cd "$work"
"$FACIES" synth s --inlines 24 --crosslines 60 --samples 120 --quiet || bad "synth"

# wait_for FILE MIN_BYTES: until FILE exists with at least MIN_BYTES (at most ~10 s)
wait_for() { for _ in $(seq 1 500); do [ -f "$1" ] && [ "$(stat -c %s "$1")" -ge "$2" ] && return 0; sleep 0.02; done; return 1; }

# ingest: kill while the new dataset is being written over an existing one.
"$FACIES" ingest s/survey.sgy --labels s/picks.csv --out p.h5 --patch 21 --quiet || bad "first ingest"
cp p.h5 keep.h5
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --out p.h5 --patch 41 --per-class 0 --stride 1 --quiet &
pid=$!
wait_for p.h5.partial 2000000 && ok || bad "ingest never started writing"
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
cmp -s p.h5 keep.h5 && ok || bad "killed ingest changed the existing dataset"
"$FACIES" train p.h5 --out m0.h5 --epochs 1 --random-split --arch conv4-pool-flatten-dense --quiet && ok || bad "existing dataset unusable"
# and --append killed part way leaves the dataset as it was
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --out p.h5 --patch 21 --per-class 0 --append --quiet &
pid=$!
wait_for p.h5.partial 2000000 && ok || bad "append never started writing"
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
cmp -s p.h5 keep.h5 && ok || bad "killed append changed the dataset"

# train: kill after the first epoch; the best model so far is whole, and --resume finishes the run.
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --out t.h5 --patch 21 --per-class 300 --quiet || bad "ingest for train"
"$FACIES" train t.h5 --out m.h5 --epochs 30 --patience 0 --arch conv16-pool-conv32-pool-flatten-dense32-dense --threads 1 --quiet &
pid=$!
wait_for m.checkpoint.h5 1000 && ok || bad "no checkpoint after the first epoch"
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
expect_exit 0 -- "$FACIES" summary m.h5
grep -q '^history: ' "$work/out" && ok || bad "the best model so far is not usable"
expect_exit 0 -- "$FACIES" summary m.checkpoint.h5
done_epochs=$(sed -n 's/^history: \([0-9]*\) epochs.*/\1/p' "$work/out")
[ -n "$done_epochs" ] && [ "$done_epochs" -lt 30 ] && ok || bad "the run was not interrupted part way (${done_epochs:-?} epochs)"
more=$((done_epochs + 2))
expect_exit 0 -- "$FACIES" train t.h5 --out m.h5 --epochs $more --patience 0 --resume --threads 1
grep -q 'resuming' "$work/err" && grep -q "^epoch *$more/$more" "$work/out" && ok || bad "resume after kill: $(cat "$work/err" "$work/out")"
ls m.h5.partial m.checkpoint.h5.partial >/dev/null 2>&1 && bad "the finished run left a partial file" || ok
finish
