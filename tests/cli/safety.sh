# Never destroy an input: every verb refuses an output that is one of its inputs (any spelling, symlink or hard
# link), or another output, before any work, and leaves the input byte for byte; output folders are checked (and
# picture and synth folders made with their parents) before work starts.
. "$(dirname "$0")/lib.sh"
cd "$work"
"$FACIES" synth s --inlines 12 --crosslines 40 --samples 64 --quiet || bad "synth"
"$FACIES" ingest s/survey.sgy --labels s/labels.sgy --patch 17 --per-class 60 --out p.h5 --quiet || bad "ingest"
"$FACIES" train p.h5 --out m.h5 --epochs 1 --arch conv4-pool-flatten-dense --quiet || bad "train"
ln s/survey.sgy hard.sgy
ln -s s/survey.sgy sym.sgy
ln m.h5 hard.h5
ln -s p.h5 sym.h5

# apply: --out on the survey (three spellings) or on the model; every other output too; two outputs on one file.
refused 2 s/survey.sgy "--out ./s/survey.sgy is the input survey s/survey.sgy" -- \
  "$FACIES" apply m.h5 s/survey.sgy --out ./s/survey.sgy
refused 2 s/survey.sgy "--out hard.sgy is the input survey" -- "$FACIES" apply m.h5 s/survey.sgy --out hard.sgy
refused 2 s/survey.sgy "--out sym.sgy is the input survey" -- "$FACIES" apply m.h5 s/survey.sgy --out sym.sgy
refused 2 s/survey.sgy "--out s/survey.sgy is the input survey sym.sgy" -- "$FACIES" apply m.h5 sym.sgy --out s/survey.sgy
refused 2 m.h5 "--out hard.h5 is the model m.h5" -- "$FACIES" apply m.h5 s/survey.sgy --out hard.h5
refused 2 s/survey.sgy "--confidence s/../s/survey.sgy" -- \
  "$FACIES" apply m.h5 s/survey.sgy --out f.sgy --confidence s/../s/survey.sgy
refused 2 m.h5 "--probabilities hard.h5 is the model m.h5" -- \
  "$FACIES" apply m.h5 s/survey.sgy --out f.sgy --probabilities hard.h5
refused 2 s/survey.sgy "--png sym.sgy is the input survey" -- "$FACIES" apply m.h5 s/survey.sgy --out f.sgy --png sym.sgy
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy --out f.sgy --confidence ./f.sgy
expect_line_naming "--confidence ./f.sgy is the same file as --out f.sgy"
cp s/survey.sgy keep.sgy.partial
refused 2 keep.sgy.partial "keep.sgy.partial (the temporary name of --out keep.sgy)" -- \
  "$FACIES" apply m.h5 keep.sgy.partial --out keep.sgy
cp m.h5 f.sgy.partial.state
refused 2 f.sgy.partial.state "(written beside --out f.sgy)" -- "$FACIES" apply f.sgy.partial.state s/survey.sgy --out f.sgy
cp m.h5 g.sgy.classes.csv # the legend apply writes beside --out would replace the model read under that name
refused 2 g.sgy.classes.csv "g.sgy.classes.csv (written beside --out g.sgy) is the model" -- \
  "$FACIES" apply g.sgy.classes.csv s/survey.sgy --out g.sgy
ln -s s/survey.sgy h.sgy.classes.csv
refused 2 s/survey.sgy "h.sgy.classes.csv (written beside --out h.sgy) is the input survey" -- \
  "$FACIES" apply m.h5 s/survey.sgy --out h.sgy
ln -s s/survey.sgy i.sgy.partial.inline-probabilities # both orientations keep the inline pass there
refused 2 s/survey.sgy "i.sgy.partial.inline-probabilities (written beside --out i.sgy) is the input survey" -- \
  "$FACIES" apply m.h5 s/survey.sgy --out i.sgy --orientation inline,crossline
rm i.sgy.partial.inline-probabilities
mkdir pics && cp s/survey.sgy pics/inline_1003.png
refused 2 pics/inline_1003.png "would receive pictures beside the input survey" -- \
  "$FACIES" apply m.h5 pics/inline_1003.png --out f.sgy --png pics
ls ./*.partial f.sgy g.sgy h.sgy >/dev/null 2>&1 && bad "a refused apply wrote something: $(ls)" || ok

# ingest: --out on the survey, on labels, on the legend.
refused 2 s/survey.sgy "--out hard.sgy is the input survey" -- \
  "$FACIES" ingest s/survey.sgy --labels s/picks.csv --out hard.sgy
refused 2 s/labels.sgy "is the --labels file s/labels.sgy" -- \
  "$FACIES" ingest s/survey.sgy --labels s/labels.sgy --out ./s/labels.sgy
ln -s s/classes.csv legend.csv
refused 2 s/classes.csv "--out legend.csv is the --classes file s/classes.csv" -- \
  "$FACIES" ingest s/survey.sgy --labels s/picks.csv --classes s/classes.csv --out legend.csv
# ... and on a horizon file that a horizon interval table names (resolved beside the table, as ingest reads it).
refused 2 s/horizons/H2.txt "--out s/horizons/H2.txt is the horizon s/horizons/H2.txt that --labels" -- \
  "$FACIES" ingest s/survey.sgy --labels s/horizons/intervals.csv --out s/horizons/H2.txt
ln -s s/horizons/H1.txt h1.txt
refused 2 s/horizons/H1.txt "--out h1.txt is the horizon s/horizons/H1.txt" -- \
  "$FACIES" ingest s/survey.sgy --labels s/horizons/intervals.csv --out h1.txt

# train: --out, and the checkpoint and history written beside it, on the dataset or the --init model.
refused 2 p.h5 "--out sym.h5 is the patch dataset p.h5" -- "$FACIES" train p.h5 --out sym.h5 --epochs 1
cp p.h5 q.checkpoint.h5
refused 2 q.checkpoint.h5 "q.checkpoint.h5 (written beside --out q.h5) is the patch dataset" -- \
  "$FACIES" train q.checkpoint.h5 --out q.h5 --epochs 1
refused 2 m.h5 "--out ./hard.h5 is the --init file m.h5" -- "$FACIES" train p.h5 --init m.h5 --out ./hard.h5 --epochs 1
ln p.h5 r.history.csv
refused 2 p.h5 "r.history.csv (written beside --out r.h5) is the patch dataset p.h5" -- \
  "$FACIES" train p.h5 --out r.h5 --epochs 1
rm r.history.csv && ln -s m.h5 r.history.png
refused 2 m.h5 "r.history.png (written beside --out r.h5) is the --init file m.h5" -- \
  "$FACIES" train p.h5 --init m.h5 --out r.h5 --epochs 1
rm r.history.png
[ ! -e q.h5 ] && [ ! -e q.history.csv ] && [ ! -e r.h5 ] && ok || bad "a refused train wrote something"

# An empty output name (an unset shell variable) is refused before any work, not trained for and left as .partial.
expect_exit 2 -- "$FACIES" train p.h5 --out "" --epochs 1
expect_line_naming "--out '' is an empty name; give a file name"
[ ! -s "$work/out" ] && ok || bad "train worked before refusing an empty --out"
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy --out f.sgy --confidence ""
expect_line_naming "--confidence '' is an empty name"
expect_exit 2 -- "$FACIES" apply m.h5 s/survey.sgy --out f.sgy --png ""
expect_line_naming "--png '' is an empty name; give a folder"
expect_exit 2 -- "$FACIES" synth ""
expect_line_naming "the output folder '' is an empty name"
ls -A | grep -q '^\.partial' && bad "an empty name left $(ls -A | grep '^\.')" || ok
[ ! -e f.sgy ] && ok || bad "apply wrote --out before refusing an empty name"

# A name the folder cannot take, or a folder where the temporary NAME.partial goes: refused before any work, with
# the system's reason.
long=$(printf 'x%.0s' $(seq 300))
expect_exit 1 -- "$FACIES" train p.h5 --out "$long.h5" --epochs 1
expect_line_naming "cannot write --out $long.h5: File name too long"
[ ! -s "$work/out" ] && ok || bad "train worked before refusing a name too long"
mkdir -p w/q.h5.partial
expect_exit 1 -- "$FACIES" ingest s/survey.sgy --labels s/picks.csv --out w/q.h5
expect_line_naming "cannot write w/q.h5.partial (the temporary name of --out w/q.h5): it is a folder"

# synth: its folder is a file.
refused 1 s/picks.csv "the output folder s/picks.csv: it is a file, not a folder" -- "$FACIES" synth s/picks.csv --quiet

# Output folders: missing ones are named before any work (train: no epoch ran); picture and synth folders are
# made with their parents.
expect_exit 1 -- "$FACIES" train p.h5 --out missing_dir/m.h5 --epochs 1
expect_line_naming "no folder missing_dir"
[ ! -s "$work/out" ] && ok || bad "train worked before refusing the folder: $(cat "$work/out")"
expect_exit 1 -- "$FACIES" ingest s/survey.sgy --labels s/picks.csv --out missing_dir/p.h5
expect_line_naming "no folder missing_dir"
expect_exit 1 -- "$FACIES" apply m.h5 s/survey.sgy --out f.sgy --confidence missing_dir/c.sgy
expect_line_naming "no folder missing_dir"
[ ! -e f.sgy ] && ok || bad "apply wrote its output before refusing the folder"
expect_exit 1 -- "$FACIES" apply m.h5 s/survey.sgy --out m.h5.d/f.sgy --png pics/a
expect_line_naming "no folder m.h5.d"
expect_exit 1 -- "$FACIES" apply m.h5 s/survey.sgy --out f.sgy --png m.h5/pics
expect_line_naming "m.h5 is not a folder"
expect_exit 0 -- "$FACIES" apply m.h5 s/survey.sgy --out f.sgy --png deep/er/pics --png-lines 1003 --quiet
[ -s deep/er/pics/inline_1003.png ] && ok || bad "picture folder not made with its parents"
expect_exit 0 -- "$FACIES" synth new/sub/dir --inlines 4 --crosslines 6 --samples 40 --quiet
[ -s new/sub/dir/survey.sgy ] && ok || bad "synth folder not made with its parents"
# Temporary names facies writes through: apply's resume state (OUT.partial.state, written as its own NAME.partial)
# and the pictures' NAME.png.partial in a --png folder, linked to an input, are refused like the outputs themselves.
ln -s s/survey.sgy st.sgy.partial.state.partial
refused 2 s/survey.sgy "st.sgy.partial.state.partial (the temporary name of st.sgy.partial.state" -- \
  "$FACIES" apply m.h5 s/survey.sgy --out st.sgy
rm st.sgy.partial.state.partial
mkdir -p linked && ln -s ../s/survey.sgy linked/inline_1003.png.partial
refused 2 s/survey.sgy "--png linked holds linked/inline_1003.png.partial, which is the input survey s/survey.sgy" -- \
  "$FACIES" apply m.h5 s/survey.sgy --out st.sgy --png linked
rm linked/inline_1003.png.partial && ln m.h5 linked/inline_1000.png
refused 2 m.h5 "--png linked holds linked/inline_1000.png, which is the model m.h5" -- \
  "$FACIES" apply m.h5 s/survey.sgy --out st.sgy --png linked
[ ! -e st.sgy ] && ok || bad "a refused apply wrote st.sgy"

# A stale link under a temporary name, to a file that is no input: dropped and replaced, never written through
# (the facies SEG-Y, its legend, a picture, a model, the training history).
mkdir -p stale precious
stale="sf.sgy.partial sf.sgy.classes.csv.partial stale/inline_1000.png.partial sm.h5.partial sm.checkpoint.h5.partial
       sm.history.csv.partial sm.history.png.partial sp.h5.partial"
for t in $stale; do
  printf 'keep me\n' > "precious/${t##*/}"
  case $t in stale/*) ln -s "../precious/${t##*/}" "$t" ;; *) ln -s "precious/$t" "$t" ;; esac
done
expect_exit 0 -- "$FACIES" apply m.h5 s/survey.sgy --out sf.sgy --png stale --png-lines 1000 --quiet
expect_exit 0 -- "$FACIES" train p.h5 --out sm.h5 --epochs 1 --arch conv4-pool-flatten-dense --quiet
expect_exit 0 -- "$FACIES" ingest s/survey.sgy --labels s/picks.csv --patch 9 --out sp.h5 --quiet
printf 'keep me\n' > precious/append && ln -s precious/append sp.h5.partial # --append copies the dataset there
expect_exit 0 -- "$FACIES" ingest s/survey.sgy --labels s/picks.csv --patch 9 --out sp.h5 --append --quiet
[ "$(cat precious/* | sort -u)" = "keep me" ] && ok || bad "a stale link under a temporary name was written through"
[ -s sf.sgy ] && [ -s sf.sgy.classes.csv ] && [ -s stale/inline_1000.png ] && [ -s sm.h5 ] && [ -s sm.history.png ] &&
  [ -s sp.h5 ] && ok || bad "outputs missing after stale links: $(ls)"
for t in $stale; do [ -e "$t" ] || [ -L "$t" ] && bad "temporary name $t left"; done; ok

# Where the folder's permissions do not tell (root passes them; /proc takes no new file): the temporary file is
# tried before any work, and the system's reason given.
if [ -d /proc/self ]; then
  expect_exit 1 -- "$FACIES" train p.h5 --out /proc/m.h5 --epochs 1
  expect_line_naming "cannot write /proc/m.h5.partial (the temporary name of --out /proc/m.h5): No such file or directory"
  [ ! -s "$work/out" ] && ok || bad "train worked before refusing /proc: $(cat "$work/out")"
  expect_exit 1 -- "$FACIES" ingest s/survey.sgy --labels s/picks.csv --out /proc/p.h5
  expect_line_naming "cannot write /proc/p.h5.partial (the temporary name of --out /proc/p.h5): No such file or directory"
  expect_exit 1 -- "$FACIES" apply m.h5 s/survey.sgy --out f.sgy --confidence /proc/c.sgy
  expect_line_naming "cannot write /proc/c.sgy.partial (the temporary name of --confidence /proc/c.sgy): No such file"
fi

# An input that is a pipe (a FIFO nothing writes to, which an open would wait on for ever) is refused at once with
# one line, wherever it is named: survey, volume, labels, classes, a horizon in an interval table, patches, model.
mkfifo fifo
printf 'top_horizon,base_horizon,facies\nfifo,fifo,1\n' > table.csv
for cmd in "info fifo" "ingest fifo --labels s/labels.sgy --out x.h5" "ingest s/survey.sgy --labels fifo --out x.h5" \
  "ingest s/survey.sgy --labels s/labels.sgy --classes fifo --out x.h5" "ingest s/survey.sgy --labels table.csv --out x.h5" \
  "ingest s/survey.sgy --volume far=fifo --labels s/labels.sgy --out x.h5" "train fifo --out x.h5" \
  "apply fifo s/survey.sgy --out x.sgy" "apply m.h5 fifo --out x.sgy" "summary fifo" "eval fifo --labels s/labels.sgy"; do
  # shellcheck disable=SC2086
  case $cmd in ingest*) cmd="$cmd --patch 17 --quiet" ;; esac
  expect_exit 1 -- timeout 20 "$FACIES" $cmd
  expect_one_line_naming fifo
  grep -q 'fifo: not a regular file (a pipe, a socket or a device): name the file itself' "$work/err" && ok ||
    bad "$cmd: $(cat "$work/err")"
done
[ ! -e x.h5 ] && [ ! -e x.sgy ] && ok || bad "an output was written from a pipe: $(ls)"
# A pipe where apply --resume looks for its state is refused too, not waited on.
mkfifo r.sgy.partial.state
expect_exit 1 -- timeout 20 "$FACIES" apply m.h5 s/survey.sgy --out r.sgy --resume --quiet
grep -q 'r.sgy.partial.state: not a regular file' "$work/err" && ok || bad "resume state pipe: $(cat "$work/err")"
rm -f r.sgy.partial.state
finish
