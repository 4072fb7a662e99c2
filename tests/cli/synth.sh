# facies synth: regenerates survey_samples/ byte for byte; usage errors.
. "$(dirname "$0")/lib.sh"
samples=$(cd "$(dirname "$0")/../.." && pwd)/survey_samples
cd "$work"

expect_exit 0 -- "$FACIES" synth regen --quiet
for f in survey.sgy labels.sgy picks.csv classes.csv horizons/H0.txt horizons/H1.txt horizons/H2.txt \
         horizons/H3.txt horizons/H4.txt horizons/H5.txt horizons/H6.txt horizons/intervals.csv; do
  cmp -s "regen/$f" "$samples/$f" && ok || bad "survey_samples/$f differs from a fresh 'facies synth'"
done
[ -z "$(tail -n +2 regen/picks.csv | cut -d, -f1-3 | sort | uniq -d)" ] && ok || bad "picks.csv repeats a position"
ls regen/*.partial regen/horizons/*.partial >/dev/null 2>&1 && bad "temporary files left behind" || ok

expect_exit 0 -- "$FACIES" synth var --inlines 10 --crosslines 12 --samples 40 --missing 0.3 --little-endian \
  --format int16 --iline-byte 9 --xline-byte 17 --seed 5
grep -q 'missing' "$work/out" && ok || bad "summary line"
expect_exit 0 -- "$FACIES" info var/survey.sgy --iline-byte 9 --xline-byte 17 --json
grep -q '"byte_order": "little"' "$work/out" && grep -q '"inline_count": 10' "$work/out" \
  && grep -q '"format": 3' "$work/out" && ok || bad "variant survey: $(cat "$work/out")"

expect_exit 2 -- "$FACIES" synth
expect_exit 2 -- "$FACIES" synth x --format vax
expect_exit 2 -- "$FACIES" synth x --samples 8
expect_exit 2 -- "$FACIES" synth x --noise lots
expect_exit 1 -- "$FACIES" synth /proc/no/such/dir
expect_one_line_naming /proc/no/such/dir
expect_exit 0 -- "$FACIES" synth --help
grep -q -- '--missing' "$work/out" && ok || bad "synth --help"

finish
