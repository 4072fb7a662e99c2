#!/bin/bash
# The module order, checked: each module of lib/ may use only the modules meson lists for it (lib/meson.build,
# module_order "module:used,used"), in three ways: the library functions its archive calls (nm), the public headers
# its files include, and the outside libraries (segyio, FFTW, BLAS, HDF5, cairo) whose headers only one module includes.
# Usage: layers.sh BUILD_LIB_DIR SOURCE_LIB_DIR module:uses...
set -u
build=$1 src=$2
shift 2
# Which module owns each public header (lib/include/facies/NAME.h).
declare -A owner=(
  [error]=core [rng]=core [files]=core [report]=core [comm]=core [version]=core
  [survey]=segy [coords]=segy [segy_writer]=segy
  [signal]=signal [patch]=signal
  [net]=nn
  [labels]=labels
  [calibration]=calibration
  [volumes]=channels
  [patches]=store [model]=store [file_kind]=store
  [plot]=plot
  [sweep]=sweep
  [ingest]=ingest
  [train]=train
  [apply]=apply
  [eval]=eval [map]=eval
  [suggest]=suggest
  [synth]=synth
)
# The one module that may include each outside library's headers.
declare -A wraps=([segyio/]=segy [fftw3]=signal [cblas]=nn [hdf5]=store [H5]=store [cairo]=plot)
bad=0
complain() {
  echo "layers: $*"
  bad=1
}
declare -A allowed
for spec in "$@"; do
  m=${spec%%:*} uses=${spec#*:}
  allowed[$m]=" $m ${uses//,/ } "
done
for h in "$src"/include/facies/*.h "$src"/include/facies/*.h.in; do
  [ -e "$h" ] || continue
  name=$(basename "$h" .in)
  name=${name%.h}
  [ "$name" = facies ] && continue
  [ -n "${owner[$name]:-}" ] || complain "lib/include/facies/$name.h has no module in tests/layers.sh"
done
# Every symbol a module archive defines, as "symbol module".
defs=$(for spec in "$@"; do
  m=${spec%%:*}
  nm -g --defined-only "$build/libfacies_$m.a" 2>/dev/null | awk -v m="$m" 'NF == 3 && $2 ~ /[TDBRC]/ {print $3, m}'
done | sort -u)
for spec in "$@"; do
  m=${spec%%:*}
  [ -f "$build/libfacies_$m.a" ] || complain "$build/libfacies_$m.a is missing"
  # Calls: a library symbol this module needs must come from a module it may use.
  while read -r sym from; do
    [[ ${allowed[$m]} == *" $from "* ]] || complain "$m calls $sym of $from, which it may not use"
  done < <(nm -u "$build/libfacies_$m.a" 2>/dev/null | awk '{print $NF}' | sort -u | join - <(echo "$defs"))
  # Headers.
  for f in "$src/$m"/*.[ch]; do
    while read -r inc; do
      case $inc in
        \"facies/*)
          name=${inc#\"facies/}
          name=${name%.h\"}
          [ "$name" = facies ] && { complain "${f#$src/} includes the umbrella header facies/facies.h"; continue; }
          o=${owner[$name]:-}
          [ -n "$o" ] && [[ ${allowed[$m]} == *" $o "* ]] || complain "${f#$src/} includes facies/$name.h of ${o:-no module}"
          ;;
        \<*)
          for w in "${!wraps[@]}"; do
            [[ $inc == "<$w"* ]] && [ "${wraps[$w]}" != "$m" ] && complain "${f#$src/} includes $inc: only ${wraps[$w]} may"
          done
          ;;
      esac
    done < <(sed -n 's/^#include *\([<"][^>"]*[>"]\).*/\1/p' "$f")
  done
done
[ $bad = 0 ] && echo "layers: $# modules, each using only the modules below it"
exit $bad
