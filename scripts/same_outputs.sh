#!/usr/bin/env bash
# No change in behaviour, shown: build another revision of facies beside this checkout, run the demo's pipeline on
# survey_samples/ with both (ingest, train, apply with probabilities and confidence, eval), and compare what they
# write. SEG-Y outputs and printed scores must match byte for byte; HDF5 outputs (patches, model, probabilities)
# dataset by dataset and attribute by attribute, exactly, leaving out only the model's per-epoch wall-clock seconds.
# Usage: scripts/same_outputs.sh REV [EPOCHS (2)]    e.g. scripts/same_outputs.sh HEAD~1
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: scripts/same_outputs.sh REV [EPOCHS]}
epochs=${2:-2}
bash scripts/build.sh >/dev/null
work=$(mktemp -d)
trap 'git worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/src" "$rev" >/dev/null 2>&1 || { echo "cannot check out $rev" >&2; exit 2; }
echo "building $rev ($(git rev-parse --short "$rev"))..."
(meson setup "$work/src/build" "$work/src" -Dbuildtype=release >/dev/null && ninja -C "$work/src/build" >/dev/null) ||
  { echo "$rev does not build" >&2; exit 2; }

# The demo's steps, shortened to $epochs epochs, on 2 threads, with the program in folder $1, in folder $2. Both runs
# call it "facies" and write the same relative names, so the command lines and paths recorded in the outputs match.
pipeline() {
  local s=$PWD/survey_samples
  mkdir -p "$2"
  (
    cd "$2"
    export PATH="$1:$PATH"
    facies ingest "$s/survey.sgy" --labels "$s/labels.sgy" --classes "$s/classes.csv" --lines 1000:1039 \
      --per-class 4000 --out patches.h5 --quiet
    facies train patches.h5 --out model.h5 --epochs "$epochs" --threads 2 --quiet
    facies apply model.h5 "$s/survey.sgy" --out facies.sgy --probabilities probabilities.h5 \
      --confidence confidence.sgy --threads 2 --quiet
    facies eval facies.sgy --labels "$s/labels.sgy" --lines 1040:1047 --classes "$s/classes.csv" >eval.txt
  )
}
echo "running the pipeline with $rev..."
pipeline "$work/src/build/apps" "$work/before"
echo "running the pipeline with this checkout..."
pipeline "$PWD/build/apps" "$work/after"

bad=0
for f in facies.sgy confidence.sgy eval.txt; do
  if cmp -s "$work/before/$f" "$work/after/$f"; then echo "same bytes:   $f"; else echo "DIFFERENT:    $f"; bad=1; fi
done
for f in patches.h5 model.h5 probabilities.h5; do
  if /usr/bin/python3 - "$work/before/$f" "$work/after/$f" <<'PY'; then echo "same content: $f"; else echo "DIFFERENT:    $f"; bad=1; fi
import sys, h5py, numpy as np
skip = {"/history/seconds"}  # wall-clock time per epoch
def items(path):
    out = {}
    with h5py.File(path, "r") as h:
        def visit(name, obj):
            key = "/" + name
            for a, v in obj.attrs.items():
                out[key + "@" + a] = np.asarray(v)
            if isinstance(obj, h5py.Dataset) and key not in skip:
                out[key] = obj[()]
        for a, v in h.attrs.items():
            out["/@" + a] = np.asarray(v)
        h.visititems(visit)
    return out
a, b = items(sys.argv[1]), items(sys.argv[2])
diff = sorted(k for k in set(a) | set(b) if k not in a or k not in b or
              np.asarray(a[k]).dtype != np.asarray(b[k]).dtype or not np.array_equal(a[k], b[k]))
for k in diff[:10]:
    print("  differs:", k)
sys.exit(1 if diff else 0)
PY
done
[ $bad = 0 ] && echo "$rev and this checkout write the same outputs" || echo "$rev and this checkout differ"
exit $bad
