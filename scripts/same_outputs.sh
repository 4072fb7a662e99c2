#!/usr/bin/env bash
# No change in behaviour, shown: build another revision of facies beside this checkout, run the demo's pipeline on
# survey_samples/ with both (ingest, train, apply with probabilities and confidence, eval), stage by stage on the
# same input, and compare what they write. SEG-Y outputs and printed scores must match byte for byte; HDF5 outputs (patches, model, probabilities)
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

# The demo's steps, shortened to $epochs epochs, on 2 threads, each run by both programs on the same input: the
# second program gets a copy of what the first wrote before (HDF5 stamps objects with their creation time, so two
# ingests of the same data differ in bytes; each stage is compared on identical input instead). Both are called
# "facies" and write the same relative names, so the command lines and paths recorded in the outputs match.
s=$PWD/survey_samples
before=$work/src/build/apps after=$PWD/build/apps
mkdir -p "$work/before" "$work/after"
step() { # step NAME FILES-TO-COPY... -- COMMAND...: run COMMAND in both folders, after copying FILES into the second
  local name=$1
  shift
  while [ "$1" != -- ]; do cp "$work/before/$1" "$work/after/$1"; shift; done
  shift
  echo "$name..."
  (cd "$work/before" && PATH="$before:$PATH" "$@")
  (cd "$work/after" && PATH="$after:$PATH" "$@")
}
bad=0
same() { # same FILE...: the two folders' FILEs match (HDF5: by content, the rest: byte for byte)
  local f
  for f in "$@"; do
    case $f in
      *.h5) if /usr/bin/python3 - "$work/before/$f" "$work/after/$f" <<'PY'; then echo "  same content: $f"; else echo "  DIFFERENT:    $f"; bad=1; fi
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
        ;;
      *) if cmp -s "$work/before/$f" "$work/after/$f"; then echo "  same bytes:   $f"; else echo "  DIFFERENT:    $f"; bad=1; fi ;;
    esac
  done
}
step ingest -- facies ingest "$s/survey.sgy" --labels "$s/labels.sgy" --classes "$s/classes.csv" --lines 1000:1039 \
  --per-class 4000 --out patches.h5 --quiet
same patches.h5
step train patches.h5 -- facies train patches.h5 --out model.h5 --epochs "$epochs" --threads 2 --quiet
same model.h5
step apply model.h5 -- facies apply model.h5 "$s/survey.sgy" --out facies.sgy --probabilities probabilities.h5 \
  --confidence confidence.sgy --threads 2 --quiet
same facies.sgy confidence.sgy probabilities.h5
step eval facies.sgy -- sh -c 'facies eval facies.sgy --labels "$1/labels.sgy" --lines 1040:1047 \
  --classes "$1/classes.csv" >eval.txt' _ "$s"
same eval.txt
[ $bad = 0 ] && echo "$rev and this checkout write the same outputs" || echo "$rev and this checkout differ"
exit $bad
