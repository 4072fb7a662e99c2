#!/usr/bin/env bash
# Install the Debian packages facies needs to build and test (Debian 12, as root).
# Only missing packages are installed, so a second run costs a second or two.
set -euo pipefail

packages=(
  build-essential meson ninja-build pkg-config
  libsegyio-dev libhdf5-dev libfftw3-dev libopenblas-dev libcairo2-dev libcmocka-dev
  clang clang-format python3-h5py python3-numpy valgrind
  libopenmpi-dev openmpi-bin
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "facies set-up: these Debian packages are missing: ${missing[*]}" >&2
    echo "run this script as root (or: sudo apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
  echo "facies set-up: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
