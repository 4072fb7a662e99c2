#!/usr/bin/env python3
"""List every skipped test of the given meson build folders by name, and fail when a test that
must run on this machine was skipped.

Usage: check_skips.py [--facies BUILD/apps/facies] [--realdata DIR] BUILD_DIR...

A suite counts as skipped when meson reports SKIP (exit 77); a cmocka case counts as skipped when
the suite's output has a "[  SKIPPED ]" line for it. Must run here:
  - the MPI suite (cli_mpi), when `facies --version` says it was built with MPI and mpirun exists;
  - everything that reads the real data (cli_realdata and the cmocka cases named *real*), when the
    real-data folder exists.
Prints one line per skip, then a verdict; exit status 1 when a must-run test was skipped.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

CMOCKA_SKIP = re.compile(r"^\[  SKIPPED \] (\w+)\s*$", re.M)


def skipped_tests(build):
    """(build, test name, case or None) for every skip in BUILD's last meson test run."""
    log = os.path.join(build, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        return None
    found = []
    with open(log) as f:
        for line in f:
            t = json.loads(line)
            name = t["name"]
            if t["result"] == "SKIP":
                found.append((build, name, None))
            output = (t.get("stdout") or "") + (t.get("stderr") or "")
            for case in sorted(set(CMOCKA_SKIP.findall(output))):
                found.append((build, name, case))
    return found


def built_with_mpi(facies):
    if not facies or not os.access(facies, os.X_OK) or not shutil.which("mpirun"):
        return False
    out = subprocess.run([facies, "--version"], capture_output=True, text=True).stdout
    return "with MPI" in out


def must_run(name, case, mpi, realdata):
    """Why this skipped test should have run here, or None."""
    if mpi and name.endswith("cli_mpi"):
        return "facies was built with MPI and mpirun is here"
    if realdata and (name.endswith("cli_realdata") or (case and "real" in case)):
        return "the real data folder is present"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--facies")
    ap.add_argument("--realdata")
    ap.add_argument("builds", nargs="+")
    a = ap.parse_args()
    mpi = built_with_mpi(a.facies)
    realdata = bool(a.realdata) and os.path.isdir(a.realdata)
    bad = 0
    total = 0
    for build in a.builds:
        found = skipped_tests(build)
        if found is None:
            print(f"skips: {build}: no test log (meson test did not run there)")
            bad += 1
            continue
        for b, name, case in found:
            total += 1
            what = f"{name} / {case}" if case else name
            why = must_run(name, case, mpi, realdata)
            if why:
                bad += 1
                print(f"skips: {b}: {what}: SKIPPED but must run ({why})")
            else:
                print(f"skips: {b}: {what}: skipped")
    print(f"skips: {total} skipped in {len(a.builds)} build(s), {bad} that must run here")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
