# Helpers for the CLI tests. FACIES, MAKE_FIXTURE, GOLDEN come from meson.
set -u
fails=0
passes=0
work=$(mktemp -d "${TMPDIR:-/tmp}/facies-cli-XXXXXX")
trap 'rm -rf "$work"' EXIT

ok() { passes=$((passes + 1)); }
bad() { fails=$((fails + 1)); echo "FAIL: $*" >&2; }

# expect_exit CODE -- command...: run, keep stdout/stderr in $work/out, $work/err.
expect_exit() {
  local want=$1; shift; shift
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" = "$want" ]; then ok; else bad "exit $got (wanted $want): $* :: $(head -c 400 "$work/err")"; fi
}

# The one-clear-line rule for runtime errors: one line on stderr ("facies: " or "facies VERB: ") naming the file.
expect_one_line_naming() {
  local file=$1
  local lines
  lines=$(wc -l <"$work/err")
  if [ "$lines" = 1 ] && grep -qF -- "$file" "$work/err" && grep -q '^facies\( [a-z]*\)\?: ' "$work/err"; then ok
  else bad "stderr should be one line naming $file: $(cat "$work/err")"; fi
}

# The one-line rule for a refusal the program words itself: one line "facies VERB: ..." naming each given text.
expect_line_naming() {
  local lines text
  lines=$(wc -l <"$work/err")
  [ "$lines" = 1 ] && grep -q '^facies [a-z]*: ' "$work/err" || { bad "stderr should be one 'facies VERB:' line: $(cat "$work/err")"; return; }
  for text in "$@"; do
    grep -qF -- "$text" "$work/err" || { bad "stderr should name '$text': $(cat "$work/err")"; return; }
  done
  ok
}

# refused CODE FILE TEXT -- command...: the command exits CODE with one line naming TEXT, and FILE (an input it
# must not touch) is byte for byte what it was.
refused() {
  local code=$1 keep=$2 text=$3
  shift 4
  cp -- "$keep" "$work/refused.copy"
  expect_exit "$code" -- "$@"
  expect_line_naming "$text"
  cmp -s -- "$keep" "$work/refused.copy" && ok || bad "$keep changed by the refused run: $*"
}

expect_golden() {
  local name=$1
  if diff -u "$GOLDEN/$name" "$work/out" >"$work/diff"; then ok; else bad "output differs from golden $name:"; cat "$work/diff" >&2; fi
}

# wait_sections STATE MIN: until apply's resume state STATE counts MIN completed sections (at most ~10 s); sets n to
# the count last read (empty: none).
wait_sections() {
  for _ in $(seq 1 500); do
    n=$(sed -n 's/^sections_done //p' "$1" 2>/dev/null)
    [ -n "$n" ] && [ "$n" -ge "$2" ] && return 0
    sleep 0.02
  done
  return 1
}

# mpi_ready: true when facies was built with MPI and mpirun is here, and then the environment set for mpi2.
mpi_ready() {
  "$FACIES" --version | grep -q 'with MPI' && command -v mpirun >/dev/null || return 1
  [ "$(id -u)" = 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  # Open MPI's own start-up allocations are not facies' leaks (ASan builds); its mpirun sometimes crashes in its
  # abort report under meson's MALLOC_PERTURB_.
  export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
  unset MALLOC_PERTURB_
  return 0
}

# mpi2 COMMAND...: the command on two ranks, loopback only.
mpi2() {
  timeout 300 mpirun -n 2 --oversubscribe --mca btl self,vader,tcp --mca btl_tcp_if_include lo \
    --mca oob_tcp_if_include lo "$@"
}

# png_size FILE: "WIDTH HEIGHT" of a PNG, from its header.
png_size() {
  od -An -tu1 -j16 -N8 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }'
}

finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" = 0 ]
}
