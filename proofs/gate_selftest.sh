#!/usr/bin/env bash
# Self-test of the proof gate: it must pass on selftest/good.c (all goals
# provable), fail on selftest/bad.c (a false postcondition) and write the
# per-function record when ZEN_PROOF_RECORD is set, and fail on
# selftest/unspecified.c (a call to a function with no code and no contract).
set -u

gate="proofs/wp_gate.sh"
dir="proofs/selftest"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
export ZEN_WP_TIMEOUT=2
failures=0

if bash "$gate" good "$dir/good.c" >"$tmp/good.out" 2>&1; then
  echo "ok: gate passes on good.c"
else
  echo "FAIL: gate failed on good.c"; cat "$tmp/good.out"; failures=$((failures + 1))
fi
if ! grep -q '^PROOF good: proved 3 / 3 goals' "$tmp/good.out"; then
  echo "FAIL: unexpected summary for good.c"; cat "$tmp/good.out"; failures=$((failures + 1))
fi

if ZEN_PROOF_RECORD="$tmp/bad.md" bash "$gate" bad "$dir/bad.c" >"$tmp/bad.out" 2>&1; then
  echo "FAIL: gate passed on bad.c"; cat "$tmp/bad.out"; failures=$((failures + 1))
else
  echo "ok: gate fails on bad.c"
fi
if ! grep -q '^PROOF bad: proved 2 / 3 goals' "$tmp/bad.out" ||
   ! grep -q 'typed_bad_inc_ensures' "$tmp/bad.out"; then
  echo "FAIL: unexpected report for bad.c"; cat "$tmp/bad.out"; failures=$((failures + 1))
fi
if ! grep -q '^| bad_inc | 3 | 2 | 2 | 0 | 0 | 0 | 1 |$' "$tmp/bad.md"; then
  echo "FAIL: unexpected proof record"; cat "$tmp/bad.md"; failures=$((failures + 1))
fi

if bash "$gate" unspecified "$dir/unspecified.c" >"$tmp/unspecified.out" 2>&1; then
  echo "FAIL: gate passed on unspecified.c"; cat "$tmp/unspecified.out"; failures=$((failures + 1))
else
  echo "ok: gate fails on unspecified.c"
fi

cat "$tmp/good.out" "$tmp/bad.out" "$tmp/unspecified.out"
exit "$failures"
