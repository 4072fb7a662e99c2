#!/usr/bin/env python3
"""Do the two horizons of F3 inline 362 (../shared/realdata, see its SOURCES.md) follow reflectors?

The zones of scripts/f3_scales.sh are bounded by these horizons. A patch classifier can place a zone boundary where
the seismic shows one: on a reflector it can follow. This prints, per block of 100 crosslines, for each horizon:
  - the amplitude at the horizon (in rms units of the line): on a followed reflector it keeps its sign;
  - how like the training part's (crosslines 300-799) the seismic about the horizon is: the correlation of each
    trace's +-60 ms window centred on the horizon with the mean such window of the training part;
and for the whole line how coherent neighbouring traces are when flattened on the horizon, against the same windows
at a constant time (a horizon on a reflector makes the flattened traces more alike, not less).
Usage: scripts/f3_horizons.py [REALDATA (../shared/realdata)]; exits 0 without the data.
"""
import os
import sys

import numpy as np

HALF = 15  # samples each side of the horizon: +-60 ms at 4 ms
TRAIN = (300, 799)  # crosslines of the training part in f3_scales.sh


def read_section(path):
    """The traces of a SEG-Y rev 0 file of big-endian int16 samples (format 3), as float [traces][samples]."""
    raw = open(path, "rb").read()
    fmt = int.from_bytes(raw[3224:3226], "big")
    ns = int.from_bytes(raw[3220:3222], "big")
    if fmt != 3:
        sys.exit("%s: sample format %d, expected 3 (the F3 file of SOURCES.md)" % (path, fmt))
    size = 240 + 2 * ns
    n = (len(raw) - 3600) // size
    words = np.frombuffer(raw[3600 : 3600 + n * size], dtype=">i2").reshape(n, size // 2)
    return words[:, 120:].astype(float)


def windows(tr, ms):
    """Each trace's window of 2 HALF + 1 samples centred on the time ms[i], normalised to zero mean, unit norm."""
    k = np.round(ms / 4.0).astype(int)
    w = np.stack([tr[i, k[i] - HALF : k[i] + HALF + 1] for i in range(len(k))])
    w = w - w.mean(axis=1, keepdims=True)
    return w / (np.linalg.norm(w, axis=1, keepdims=True) + 1e-12)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("FACIES_REALDATA", "../shared/realdata")
    sgy = os.path.join(root, "f3-inline362/derived/f3_inline362.sgy")
    hor = os.path.join(root, "f3-inline362/derived/inline362_horizons_top_base.txt")
    if not (os.path.exists(sgy) and os.path.exists(hor)):
        print("f3_horizons: no real data at %s: skipped" % root)
        return
    tr = read_section(sgy)
    h = np.loadtxt(hor, comments="#")
    xl = h[:, 1].astype(int)
    rms = np.sqrt((tr**2).mean())
    train = (xl >= TRAIN[0]) & (xl <= TRAIN[1])
    blocks = [(a, min(a + 99, xl[-1])) for a in range(xl[0], xl[-1] + 1, 100)]
    print("F3 inline 362, %d traces; blocks of 100 crosslines from %d; training part %d-%d" % (len(xl), xl[0], *TRAIN))
    print("%-28s %s" % ("crosslines", " ".join("%5d" % a for a, _ in blocks)))
    for name, col in (("top", 2), ("base", 3)):
        ms = h[:, col]
        amp = tr[np.arange(len(ms)), np.round(ms / 4.0).astype(int)] / rms
        w = windows(tr, ms)
        ref = w[train].mean(axis=0)
        like = w @ (ref / np.linalg.norm(ref))
        per = lambda v: " ".join("%5.2f" % v[(xl >= a) & (xl <= b)].mean() for a, b in blocks)
        print("%-28s %s" % (name + ": amplitude at horizon", per(amp)))
        print("%-28s %s" % (name + ": like the training part", per(like)))
        flat = (w[1:] * w[:-1]).sum(axis=1).mean()
        level = windows(tr, np.full(len(ms), np.round(ms.mean() / 4.0) * 4.0))
        still = (level[1:] * level[:-1]).sum(axis=1).mean()
        print("%-28s flattened on it %.3f, at its mean time %.0f ms %.3f" % (name + ": neighbour coherence", flat,
                                                                             ms.mean(), still))


if __name__ == "__main__":
    main()
