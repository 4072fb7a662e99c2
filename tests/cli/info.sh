# facies info: golden text and JSON, exit codes, one-line errors.
. "$(dirname "$0")/lib.sh"
cd "$work"

for k in lsb-int16 holes line2d prestack truncated; do "$MAKE_FIXTURE" "$k.sgy" "$k" || bad "fixture $k"; done

expect_exit 0 -- "$FACIES" info lsb-int16.sgy
expect_golden info-lsb-int16.txt
expect_exit 0 -- "$FACIES" info holes.sgy --json
expect_golden info-holes.json
expect_exit 0 -- "$FACIES" info line2d.sgy
expect_golden info-line2d.txt
expect_exit 0 -- "$FACIES" info holes.sgy --stats-traces 0
grep -q 'amplitude' "$work/out" && bad "--stats-traces 0 should skip amplitudes" || ok

expect_exit 1 -- "$FACIES" info prestack.sgy
expect_one_line_naming prestack.sgy
grep -q 'pre-stack' "$work/err" && ok || bad "prestack message"
expect_exit 1 -- "$FACIES" info truncated.sgy
expect_one_line_naming truncated.sgy
expect_exit 1 -- "$FACIES" info missing-file.sgy
expect_one_line_naming missing-file.sgy

expect_exit 2 -- "$FACIES" info
expect_exit 2 -- "$FACIES" info a.sgy b.sgy
expect_exit 2 -- "$FACIES" info holes.sgy --bogus
expect_exit 2 -- "$FACIES" info holes.sgy --iline-byte 999
expect_exit 2 -- "$FACIES" nosuchverb
expect_exit 2 -- "$FACIES"
expect_exit 0 -- "$FACIES" --help
grep -q '^  info' "$work/out" && ok || bad "--help lists verbs"
expect_exit 0 -- "$FACIES" info --help
grep -q -- '--iline-byte' "$work/out" && ok || bad "info --help lists --iline-byte"
expect_exit 0 -- "$FACIES" --version
grep -q '^facies [0-9]' "$work/out" && ok || bad "--version"

finish
