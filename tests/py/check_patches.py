"""Independent check of a patches.h5 written by `facies ingest`, with h5py and numpy only.

usage: check_patches.py PATCHES.h5 SURVEY.sgy LABELS.sgy [DTYPE]
DTYPE (float32, float16 or int8; default float32) is the numpy type /patches must
have as h5py reads it; stored values are compared within its quantisation error
(float16: half an ulp; int8: half a step of the dataset's `scale` attribute).
Reads the SEG-Y with numpy (IBM/IEEE/int16, big-endian, inline-sorted, full grid),
and checks the layout, that every stored patch equals the normalised section
window around its position (reflect padding), and that every label equals the
label volume there. Prints 'N passed, M failed'.
"""
import struct
import sys

import h5py
import numpy as np


def ibm_to_float(words):
    words = words.astype(np.uint32)
    sign = np.where(words >> 31, -1.0, 1.0)
    exponent = ((words >> 24) & 0x7F).astype(np.int32) - 64
    mantissa = (words & 0xFFFFFF).astype(np.float64)
    return sign * mantissa * np.power(16.0, exponent) / 2.0**24


def read_segy(path):
    b = open(path, "rb").read()
    fmt = struct.unpack(">h", b[3224:3226])[0]
    ns = struct.unpack(">H", b[3220:3222])[0]
    bps = {1: 4, 3: 2, 5: 4}[fmt]
    tb = 240 + ns * bps
    n = (len(b) - 3600) // tb
    raw = np.frombuffer(b[3600:3600 + n * tb], dtype=np.uint8).reshape(n, tb)
    il = raw[:, 188:192].copy().view(">i4").ravel()
    xl = raw[:, 192:196].copy().view(">i4").ravel()
    data = raw[:, 240:].copy()
    if fmt == 1:
        v = ibm_to_float(data.view(">u4"))
    elif fmt == 3:
        v = data.view(">i2").astype(np.float64)
    else:
        v = data.view(">f4").astype(np.float64)
    ils, xls = np.unique(il), np.unique(xl)
    cube = np.zeros((len(ils), len(xls), ns), dtype=np.float32)
    cube[np.searchsorted(ils, il), np.searchsorted(xls, xl)] = v
    return cube, ils, xls


def reflect(i, n):
    p = 2 * (n - 1)
    i = np.mod(i, p)
    return np.where(i >= n, p - i, i)


def main():
    h5path, survey, labels = sys.argv[1:4]
    dtype = np.dtype(sys.argv[4] if len(sys.argv) > 4 else "float32")
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL:", what)

    cube, ils, xls = read_segy(survey)
    lab, _, _ = read_segy(labels)
    with h5py.File(h5path, "r") as f:
        p, y, pos, cls = f["patches"], f["labels"][:], f["positions"][:], f["classes"][:]
        n, c, h, w = p.shape
        check(p.dtype == dtype and y.dtype == np.int32 and pos.shape == (n, 4),
              "dataset types and shapes: /patches is %s, expected %s" % (p.dtype, dtype))
        step = float(p.attrs["scale"]) if dtype == np.int8 else 1.0
        if dtype == np.int8:
            check(abs(step - 1 / 127) < 1e-12, "int8 scale attribute is 1/127")
        check(p.chunks is not None and p.maxshape[0] is None, "/patches chunked and extensible")
        a = f.attrs
        check(int(a["patch_height"]) == h and int(a["patch_width"]) == w, "patch size attributes")
        channels = a["channels"].decode() if isinstance(a["channels"], bytes) else a["channels"]
        check(channels == "amplitude", "channels")
        for key in ["normalisation_method", "normalisation_scale", "source_survey", "source_survey_hash",
                    "label_sources", "command_line", "program_version", "sample_interval_ms"]:
            check(key in a, "attribute " + key)
        check(set(cls.dtype.names) == {"code", "name", "colour"}, "/classes compound fields")
        scale = float(a["normalisation_scale"])
        codes = cls["code"]
        rng = np.random.default_rng(0)
        rows = rng.choice(n, size=min(n, 300), replace=False)
        for r in rows:
            o, il, xl, k = pos[r]
            i, j = np.searchsorted(ils, il), np.searchsorted(xls, xl)
            section = cube[i] if o == 0 else cube[:, j]
            t = j if o == 0 else i
            cols = reflect(np.arange(t - w // 2, t + w // 2 + 1), section.shape[0])
            rws = reflect(np.arange(k - h // 2, k + h // 2 + 1), section.shape[1])
            want = np.clip(section[cols][:, rws].T / scale, -1, 1)
            got = p[r, 0].astype(np.float64) * step
            if dtype == np.float16:
                tol = np.maximum(np.abs(want) * 2.0**-11, 2.0**-25) + 1e-7
            elif dtype == np.int8:
                tol = step / 2 + 1e-6
            else:
                tol = 1e-6
            check(np.all(np.abs(got - want) <= tol), "patch %d equals the section window" % r)
            check(codes[y[r]] == int(lab[i, j, k]), "label %d equals labels.sgy" % r)
        check(len(set(map(tuple, pos))) == n, "positions are unique")
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
