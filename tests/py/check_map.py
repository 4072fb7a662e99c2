"""Independent check of a map written by `facies map`, with numpy only (PIL for the picture when present).

usage: check_map.py VOLUME.sgy MAP.csv MODE [ARGS] [--classes C] [--probability]
  MODE horizon H | window H A B | between H1 H2 | slice T
Reads the SEG-Y with numpy (IBM/IEEE/int16, big-endian; inline/crossline at bytes 189/193, CDP X/Y at 181/185
scaled by byte 71), recomputes every trace's value from its samples and compares it with the CSV row by row:
the same set of traces (every trace whose horizon time or window lies on the trace), the same codes, fractions
and times, and x,y within 10 cm of the trace's header coordinates (F3's worst trace lies 7 cm off the grid). Prints 'N passed, M failed'.
"""
import csv
import math
import sys

import numpy as np


def ibm_to_float(words):
    words = words.astype(np.uint32)
    sign = np.where(words >> 31, -1.0, 1.0)
    exponent = ((words >> 24) & 0x7F).astype(np.int32) - 64
    mantissa = (words & 0xFFFFFF).astype(np.float64) / float(1 << 24)
    return sign * mantissa * np.power(16.0, exponent)


def read_segy(path):
    raw = open(path, "rb").read()
    binh = raw[3200:3600]
    dt = int.from_bytes(binh[16:18], "big") / 1000.0
    ns = int.from_bytes(binh[20:22], "big")
    fmt = int.from_bytes(binh[24:26], "big")
    size = {1: 4, 3: 2, 5: 4}[fmt]
    trace_bytes = 240 + ns * size
    traces = {}
    t0 = None
    for off in range(3600, len(raw), trace_bytes):
        th = raw[off:off + 240]
        il = int.from_bytes(th[188:192], "big", signed=True)
        xl = int.from_bytes(th[192:196], "big", signed=True)
        sc = int.from_bytes(th[70:72], "big", signed=True)
        x = int.from_bytes(th[180:184], "big", signed=True)
        y = int.from_bytes(th[184:188], "big", signed=True)
        f = sc if sc > 0 else 1.0 / -sc if sc < 0 else 1
        if t0 is None:
            delay = int.from_bytes(th[108:110], "big", signed=True)
            tsc = int.from_bytes(th[214:216], "big", signed=True)
            t0 = delay * tsc if tsc > 0 else delay / -tsc if tsc < 0 else delay
        data = raw[off + 240:off + trace_bytes]
        if fmt == 1:
            v = ibm_to_float(np.frombuffer(data, ">u4"))
        elif fmt == 3:
            v = np.frombuffer(data, ">i2").astype(np.float64)
        else:
            v = np.frombuffer(data, ">f4").astype(np.float64)
        traces[(il, xl)] = (v, x * f, y * f)
    return traces, t0, dt, ns


def read_horizon(path, traces):
    """Times by (inline, crossline); rows in X/Y go to the trace with the nearest header coordinates."""
    out = {}
    by_xy = False
    keys = list(traces)
    xy = np.array([[traces[k][1], traces[k][2]] for k in keys])
    for line in open(path):
        p = line.replace(",", " ").split()
        if not p or p[0].startswith("#"):
            continue
        if p[0][0].isalpha() and p[0].lower() not in ("nan", "inf"):
            by_xy = p[0].lower() in ("x", "cdp_x", "easting")
            continue
        a, b, t = float(p[0]), float(p[1]), float(p[2])
        if by_xy:
            d = np.hypot(xy[:, 0] - a, xy[:, 1] - b)
            out[keys[int(np.argmin(d))]] = t
        else:
            out[(int(a), int(b))] = t
    return out


def main():
    args = sys.argv[1:]
    probability = "--probability" in args
    if probability:
        args.remove("--probability")
    names = None
    if "--classes" in args:
        k = args.index("--classes")
        rows = list(csv.DictReader(open(args[k + 1])))
        names = [(int(r["code"]), r["name"]) for r in rows]
        del args[k:k + 2]
    vol, mapcsv, mode = args[0], args[1], args[2]
    traces, t0, dt, ns = read_segy(vol)
    expect = {}
    if mode == "slice":
        t = float(args[3])
        k = math.floor((t - t0) / dt + 0.5)
        for key, (v, _, _) in traces.items():
            expect[key] = ("point", k, t0 + k * dt)
    else:
        top = read_horizon(args[3], traces)
        base = read_horizon(args[4], traces) if mode == "between" else None
        for key, (v, _, _) in traces.items():
            if key not in top or (base is not None and key not in base):
                continue
            if mode == "horizon":
                k = math.floor((top[key] - t0) / dt + 0.5)  # halves away from zero, as C's round()
                if 0 <= k < ns:
                    expect[key] = ("point", k, top[key])
                continue
            a, b = (top[key] + float(args[4]), top[key] + float(args[5])) if mode == "window" else (top[key], base[key])
            ka = max(math.ceil((a - t0) / dt - 1e-6), 0)
            kb = min(math.floor((b - t0) / dt + 1e-6), ns - 1)
            if ka <= kb:
                expect[key] = ("window", ka, kb)
    passes = fails = 0
    seen = set()
    for row in csv.DictReader(open(mapcsv)):
        key = (int(row["inline"]), int(row["crossline"]))
        seen.add(key)
        if key not in expect:
            fails += 1
            print("unexpected row", key)
            continue
        v, x, y = traces[key]
        if row["x"] and (abs(float(row["x"]) - x) > 0.1 or abs(float(row["y"]) - y) > 0.1):
            fails += 1
            print("x,y of", key, row["x"], row["y"], "header", x, y)
        kind, ka, kb = expect[key]
        if kind == "point":
            want = v[ka]
            got = float(row["probability"]) if probability else int(row["facies"])
            ok = abs(got - want) <= 1e-5 * max(1.0, abs(want)) and abs(float(row["time_ms"]) - kb) < 1e-2
        else:
            w = v[ka:kb + 1]
            ok = int(row["samples"]) == len(w) and abs(float(row["top_ms"]) - (t0 + ka * dt)) < 1e-6
            if probability:
                ok = ok and abs(float(row["mean_probability"]) - w.mean()) <= 1e-5 * max(1.0, abs(w.mean()))
            else:
                codes = [c for c, _ in names]
                counts = [int(np.sum(np.round(w) == c)) for c in codes]
                best = codes[int(np.argmax(counts))]
                fr = [float(row["fraction_" + n]) for _, n in names]
                ok = ok and int(row["facies"]) == best and all(abs(f - c / len(w)) < 1e-4 for f, c in zip(fr, counts))
        if ok:
            passes += 1
        else:
            fails += 1
            print("value of", key, row, "expected from samples", ka, kb)
    missing = set(expect) - seen
    if missing:
        fails += 1
        print(len(missing), "traces missing from the map, such as", sorted(missing)[:3])
    print(f"{passes} passed, {fails} failed")
    return 1 if fails or not passes else 0


if __name__ == "__main__":
    sys.exit(main())
