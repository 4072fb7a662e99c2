#!/usr/bin/env bash
# Configure (once) and build facies in build/, warnings as errors.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
if [ ! -f build/build.ninja ]; then
  meson setup build -Dwerror=true -Dbuildtype=release
fi
ninja -C build
