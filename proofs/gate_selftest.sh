#!/usr/bin/env bash
# Self-test of the proof gate: it must pass on selftest/good.c (all goals
# provable), fail on selftest/bad.c (a false postcondition) and write the
# per-function record when ZEN_PROOF_RECORD is set, and fail on
# selftest/unspecified.c (a call to a function with no code and no contract)
# and, with --split, on selftest/split.c (one false conjunct) and on
# selftest/split_lemma.c (a false lemma beside the split function);
# --fct-timeout changes the time allowed and --split how a goal is
# attacked, never the verdict, and so does --cvc4-first; --smoke fails on
# selftest/contradictory.c (contradictory preconditions) and still passes on
# good.c.
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

# A longer timeout for one function changes the budget, not the verdict.
if bash "$gate" --fct-timeout good_inc:4 good "$dir/good.c" >"$tmp/fct.out" 2>&1 &&
   grep -q '^PROOF good: proved 3 / 3 goals' "$tmp/fct.out"; then
  echo "ok: gate passes on good.c with --fct-timeout"
else
  echo "FAIL: gate with --fct-timeout on good.c"; cat "$tmp/fct.out"; failures=$((failures + 1))
fi
if bash "$gate" --fct-timeout good_inc:4 bad "$dir/bad.c" >"$tmp/fct_bad.out" 2>&1; then
  echo "FAIL: gate passed on bad.c with --fct-timeout"; cat "$tmp/fct_bad.out"; failures=$((failures + 1))
else
  echo "ok: gate fails on bad.c with --fct-timeout"
fi
bash "$gate" --fct-timeout good_inc good "$dir/good.c" >"$tmp/fct_usage.out" 2>&1
if [ "$?" -eq 2 ]; then
  echo "ok: gate rejects a malformed --fct-timeout"
else
  echo "FAIL: gate accepted a malformed --fct-timeout"; cat "$tmp/fct_usage.out"; failures=$((failures + 1))
fi

# Splitting an unproved goal proves its true conjuncts, never a false one.
if bash "$gate" --split good_inc good "$dir/good.c" >"$tmp/split.out" 2>&1 &&
   grep -q '^PROOF good: proved 3 / 3 goals' "$tmp/split.out"; then
  echo "ok: gate passes on good.c with --split"
else
  echo "FAIL: gate with --split on good.c"; cat "$tmp/split.out"; failures=$((failures + 1))
fi
if bash "$gate" --split split_inc split "$dir/split.c" >"$tmp/split_bad.out" 2>&1; then
  echo "FAIL: gate passed on split.c with --split"; cat "$tmp/split_bad.out"; failures=$((failures + 1))
elif grep -q 'typed_split_inc_ensures' "$tmp/split_bad.out"; then
  echo "ok: gate fails on split.c with --split"
else
  echo "FAIL: unexpected report for split.c with --split"; cat "$tmp/split_bad.out"; failures=$((failures + 1))
fi

if bash "$gate" --split lemma_inc split_lemma "$dir/split_lemma.c" >"$tmp/split_lemma.out" 2>&1; then
  echo "FAIL: gate passed on split_lemma.c with --split"; cat "$tmp/split_lemma.out"; failures=$((failures + 1))
elif grep -q 'typed_lemma_false_bound' "$tmp/split_lemma.out" &&
     grep -q '^PROOF split_lemma: proved 3 / 4 goals' "$tmp/split_lemma.out"; then
  echo "ok: gate proves the lemmas with --split, and fails on a false one"
else
  echo "FAIL: unexpected report for split_lemma.c with --split"; cat "$tmp/split_lemma.out"
  failures=$((failures + 1))
fi
if bash "$gate" --split no_such_function good "$dir/good.c" >"$tmp/split_none.out" 2>&1; then
  echo "FAIL: gate passed with --split naming no function of good.c"; cat "$tmp/split_none.out"
  failures=$((failures + 1))
else
  echo "ok: gate fails with --split naming no function of the file"
fi
bash "$gate" --split good_inc, good "$dir/good.c" >"$tmp/split_usage.out" 2>&1
if [ "$?" -eq 2 ]; then
  echo "ok: gate rejects a malformed --split"
else
  echo "FAIL: gate accepted a malformed --split"; cat "$tmp/split_usage.out"; failures=$((failures + 1))
fi

# Contradictory preconditions prove every goal; the smoke tests refute them.
if bash "$gate" contradictory "$dir/contradictory.c" >"$tmp/contra.out" 2>&1; then
  echo "ok: gate without --smoke passes on contradictory.c (vacuously)"
else
  echo "FAIL: gate without --smoke on contradictory.c"; cat "$tmp/contra.out"; failures=$((failures + 1))
fi
if bash "$gate" --smoke contradictory "$dir/contradictory.c" >"$tmp/contra_smoke.out" 2>&1; then
  echo "FAIL: gate with --smoke passed on contradictory.c"; cat "$tmp/contra_smoke.out"; failures=$((failures + 1))
elif grep -q 'typed_contradictory_inc_wp_smoke_default_requires' "$tmp/contra_smoke.out"; then
  echo "ok: gate with --smoke fails on contradictory.c"
else
  echo "FAIL: unexpected report for contradictory.c with --smoke"; cat "$tmp/contra_smoke.out"
  failures=$((failures + 1))
fi
if bash "$gate" --smoke good "$dir/good.c" >"$tmp/good_smoke.out" 2>&1; then
  echo "ok: gate with --smoke passes on good.c"
else
  echo "FAIL: gate with --smoke failed on good.c"; cat "$tmp/good_smoke.out"; failures=$((failures + 1))
fi

# --cvc4-first proves in two runs (CVC4, then Z3 and CVC4 with the smoke
# tests) and reaches the same verdicts.
if bash "$gate" --cvc4-first --smoke --split good_inc good "$dir/good.c" >"$tmp/first_good.out" 2>&1 &&
   grep -q '^PROOF good: proved 4 / 4 goals' "$tmp/first_good.out"; then
  echo "ok: gate with --cvc4-first passes on good.c"
else
  echo "FAIL: gate with --cvc4-first on good.c"; cat "$tmp/first_good.out"; failures=$((failures + 1))
fi
if bash "$gate" --cvc4-first bad "$dir/bad.c" >"$tmp/first_bad.out" 2>&1; then
  echo "FAIL: gate with --cvc4-first passed on bad.c"; cat "$tmp/first_bad.out"; failures=$((failures + 1))
elif grep -q '^PROOF bad: proved 2 / 3 goals' "$tmp/first_bad.out" &&
     grep -q 'typed_bad_inc_ensures' "$tmp/first_bad.out"; then
  echo "ok: gate with --cvc4-first fails on bad.c"
else
  echo "FAIL: unexpected report for bad.c with --cvc4-first"; cat "$tmp/first_bad.out"; failures=$((failures + 1))
fi
if bash "$gate" --cvc4-first --smoke contradictory "$dir/contradictory.c" >"$tmp/first_contra.out" 2>&1; then
  echo "FAIL: gate with --cvc4-first --smoke passed on contradictory.c"; cat "$tmp/first_contra.out"
  failures=$((failures + 1))
elif grep -q 'typed_contradictory_inc_wp_smoke_default_requires' "$tmp/first_contra.out"; then
  echo "ok: gate with --cvc4-first --smoke fails on contradictory.c"
else
  echo "FAIL: unexpected report for contradictory.c with --cvc4-first --smoke"; cat "$tmp/first_contra.out"
  failures=$((failures + 1))
fi

cat "$tmp/good.out" "$tmp/bad.out" "$tmp/unspecified.out"
exit "$failures"
