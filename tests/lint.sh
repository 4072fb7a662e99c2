# Lint: every C source and header is formatted as .clang-format says.
set -u
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "clang-format not installed: skipped"; exit 77; }
files=$(find apps lib tests bench -name '*.c' -o -name '*.h' | sort)
if clang-format --dry-run --Werror $files; then
  echo "1 passed, 0 failed"
else
  echo "run: clang-format -i \$(find apps lib tests -name '*.[ch]')" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
