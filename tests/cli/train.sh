# facies train and summary on a small synthetic survey: outputs, Keras-style table, errors.
. "$(dirname "$0")/lib.sh"
cd "$work"
"$FACIES" synth s --inlines 16 --crosslines 30 --samples 64 --quiet || bad "synth"
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --classes s/classes.csv --patch 21 --per-class 80 --out p.h5 --quiet || bad "ingest"

expect_exit 0 -- "$FACIES" train p.h5 --out m.h5 --epochs 2 --arch conv8-pool-flatten-dense16-dense --threads 1
grep -q '^epoch   2/2' "$work/out" && ok || bad "epoch lines: $(cat "$work/out")"
grep -q '^best epoch' "$work/out" && ok || bad "best epoch line"
grep -q 'validation lines' "$work/err" && ok || bad "split reported: $(cat "$work/err")"
for f in m.h5 m.history.csv m.history.png m.checkpoint.h5; do [ -s "$f" ] && ok || bad "missing $f"; done
[ "$(wc -l < m.history.csv)" = 3 ] && head -1 m.history.csv | grep -q '^epoch,loss,accuracy,val_loss,val_accuracy,seconds,best$' && ok || bad "history CSV"
ls ./*.partial >/dev/null 2>&1 && bad "temporary files left" || ok

expect_exit 0 -- "$FACIES" summary m.h5
grep -q 'conv2d (Conv2D)             (None, 19, 19, 8)         80' "$work/out" && ok || bad "summary conv row: $(cat "$work/out")"
grep -q '^Total params: ' "$work/out" && grep -q '^Trainable params: ' "$work/out" && ok || bad "summary totals"
grep -q '^history: 2 epochs' "$work/out" && ok || bad "summary history"

# More epochs from the checkpoint; a random split says it is leaky.
expect_exit 0 -- "$FACIES" train p.h5 --out m.h5 --epochs 3 --resume --threads 1
grep -q 'resuming' "$work/err" && grep -q '^epoch   3/3' "$work/out" && ok || bad "resume: $(cat "$work/err" "$work/out")"
# A resume with options that change the batches or the steps is refused naming the first difference (the checkpoint
# untouched); --epochs, --patience and --threads may change.
cp m.checkpoint.h5 ck.before
expect_exit 2 -- "$FACIES" train p.h5 --out m.h5 --epochs 4 --resume --batch 16 --threads 1
expect_one_line_naming m.checkpoint.h5
grep -q 'the interrupted run had other options: batch 32 (now 16); resume with its options' "$work/err" && ok ||
  bad "resume with another batch: $(cat "$work/err")"
expect_exit 2 -- "$FACIES" train p.h5 --out m.h5 --epochs 4 --resume --seed 7 --augment --threads 1
grep -q 'other options: seed 1 (now 7), augment off (now on); resume' "$work/err" && ok || bad "resume with another seed: $(cat "$work/err")"
expect_exit 2 -- "$FACIES" train p.h5 --out m.h5 --epochs 4 --resume --augment --threads 1
grep -q 'other options: augment off (now on); resume' "$work/err" && ok || bad "resume with --augment: $(cat "$work/err")"
expect_exit 2 -- "$FACIES" train p.h5 --out m.h5 --epochs 4 --resume --optimizer sgd --threads 1
grep -q 'other options: optimizer adam (now sgd), lr 0.001 (now 0.01); resume' "$work/err" && ok || bad "resume with sgd: $(cat "$work/err")"
cmp -s m.checkpoint.h5 ck.before && ok || bad "a refused resume changed the checkpoint"
expect_exit 0 -- "$FACIES" train p.h5 --out m.h5 --epochs 4 --patience 9 --resume --threads 2
grep -q '^epoch   4/4' "$work/out" && ok || bad "resume with other --epochs, --patience, --threads: $(cat "$work/err")"
expect_exit 0 -- "$FACIES" train p.h5 --out r.h5 --epochs 1 --random-split --arch conv4-pool-flatten-dense --threads 1
grep -q 'leaky' "$work/err" && ok || bad "random split warning"

# Errors: one line naming the file.
expect_exit 1 -- "$FACIES" train missing.h5 --out x.h5
expect_one_line_naming missing.h5
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --patch 15 --per-class 20 --out p15.h5 --quiet
expect_exit 1 -- "$FACIES" train p15.h5 --out x.h5 --init m.h5
expect_one_line_naming m.h5
grep -q 'patch 21x21' "$work/err" && ok || bad "mismatch says what to do: $(cat "$work/err")"
expect_exit 2 -- "$FACIES" train p.h5
expect_exit 2 -- "$FACIES" train p.h5 --out x.h5 --optimizer rmsprop
expect_exit 2 -- "$FACIES" train p.h5 --out x.h5 --balance maybe
expect_exit 2 -- "$FACIES" train p.h5 --out x.h5 --arch conv8-flatten
expect_exit 0 -- "$FACIES" train --help
grep -q -- '--val-lines' "$work/out" && ok || bad "train --help"

# A dataset and a model rewritten in HDF5's pre-1.8 layout (h5py libver='earliest', no metadata checksums) are
# refused by train, apply and ingest --append with the reason and the way out, not as files facies did not write.
if /usr/bin/python3 -c 'import h5py' 2>/dev/null; then
  /usr/bin/python3 - <<'PY' || bad "could not write the pre-1.8 copies"
import h5py
for name in ("p", "m"):
    src, dst = h5py.File(name + ".h5", "r"), h5py.File("old-" + name + ".h5", "w", libver="earliest")
    for k, v in src.attrs.items():
        dst.attrs[k] = v
    for k in src:
        src.copy(k, dst)
    dst.close()
PY
  cp old-p.h5 old-p.before
  old="HDF5 file in the pre-1.8 layout (superblock version 0) without metadata checksums; rewrite it with h5py (libver='latest') or h5repack"
  expect_exit 1 -- "$FACIES" train old-p.h5 --out x.h5
  grep -qF "facies: old-p.h5: $old" "$work/err" && ok || bad "train of a pre-1.8 dataset: $(cat "$work/err")"
  expect_exit 1 -- "$FACIES" apply old-m.h5 s/survey.sgy --out x.sgy
  grep -qF "facies: old-m.h5: $old" "$work/err" && ok || bad "apply of a pre-1.8 model: $(cat "$work/err")"
  expect_exit 1 -- "$FACIES" ingest s/survey.sgy --labels s/labels.sgy --patch 21 --out old-p.h5 --append
  grep -qF "facies: old-p.h5: $old" "$work/err" && ok || bad "append to a pre-1.8 dataset: $(cat "$work/err")"
  cmp -s old-p.h5 old-p.before && ok || bad "the refused dataset changed"
  ls x.h5* x.sgy* >/dev/null 2>&1 && bad "a refused run wrote an output" || ok
fi
finish
