#!/usr/bin/env bash
# Proof gate: runs Frama-C WP on the given C files and fails unless every
# goal is proved. `frama-c -wp` exits 0 with unproved goals, so this script
# reads the final "[wp] Proved goals: P / T" line and the per-goal lines.
# A call to an undeclared function, or to one with neither code nor contract,
# stops Frama-C (WP would otherwise assume a default contract for it).
#
# Usage: wp_gate.sh [--fct-timeout F:T[,F:T...]] [--split F[,F...]]
#                   [--smoke] [--cvc4-first] [--include DIR]
#                   NAME FILE.c [FILE.c ...]
#   --fct-timeout  a longer per-goal timeout, in seconds, for the goals of
#          the named functions (Frama-C's -wp-fct-timeout); every goal must
#          still be proved
#   --split  the goals of the named functions are proved in a second run
#          with WP's -wp-split: each goal's conjunctions are split into
#          goals of their own before the provers see them, and each must be
#          proved. For inclusion goals of large frames, which are many small
#          conjuncts. Only for the functions named: over a whole file, goals
#          that prove whole time out in parts. WP generates no lemma goal
#          in a run that names functions (-wp-fct, -wp-skip-fct), so a third
#          run proves the lemmas the files see (-wp-prop=@lemma)
#   --smoke  add WP's smoke tests: for each function, a try to prove its
#          preconditions, each behavior's assumptions and each loop's
#          invariants contradictory (2 s each). One that succeeds means goals
#          hold vacuously, and fails the gate. Unreachable code and calls are
#          not smoke-tested: the core's defensive checks are unreachable
#          under their contracts by design
#   --cvc4-first  prove with CVC4 alone first, then with Z3 and CVC4 on
#          what is left and on the smoke tests (see prove below). Without
#          it, one run with both provers. It pays where proving outweighs
#          generating the goals, which both runs do (proofs/RECORD.md)
#   --include  the include path, instead of the first file's directory
#   NAME   component name used in the summary line
#   FILE   C sources; the directory of the first one is added to the include
#          path. Relative paths are resolved from the current directory.
#
# Environment:
#   ZEN_WP_TIMEOUT     per-goal prover timeout in seconds (default 40)
#   ZEN_WP_PAR         parallel prover processes (default 2)
#   ZEN_PROOF_RECORD   if set, a per-function table is written to this path
#   WHY3CONFIG         why3 configuration; generated with
#                      `why3 config detect` when unset
#
# Every goal must be proved, by Qed, Z3 or CVC4.
#
# Output: the unproved goals (if any), the slowest proved goals with their
# prover times (the margin under the timeout), and one line
#   PROOF NAME: proved P / T goals in S s
# Exit status: 0 when P == T, 1 otherwise, 2 on usage or tool errors.

set -u

# list_arg OPTION ITEM_REGEX WHAT VALUE: VALUE, a comma-separated list of
# items matching ITEM_REGEX, or a usage error naming WHAT.
list_arg() {
  if ! printf '%s\n' "$4" | grep -Eq "^$2(,$2)*\$"; then
    echo "wp_gate: $1 needs $3[,$3...]" >&2
    exit 2
  fi
}

fn_re='[A-Za-z_][A-Za-z0-9_]*'
fct_timeout=""
split_fcts=""
smoke_args=()
cvc4_first=0
include_dir=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --fct-timeout)
      list_arg "$1" "$fn_re:[0-9]+" FUNCTION:SECONDS "${2:-}"
      fct_timeout="$2"
      shift 2
      ;;
    --split)
      list_arg "$1" "$fn_re" FUNCTION "${2:-}"
      split_fcts="$2"
      shift 2
      ;;
    --smoke)
      smoke_args=(-wp-smoke-tests -wp-no-smoke-dead-code -wp-no-smoke-dead-call)
      shift
      ;;
    --cvc4-first)
      cvc4_first=1
      shift
      ;;
    --include)
      if [ ! -d "${2:-}" ]; then
        echo "wp_gate: --include needs a directory" >&2
        exit 2
      fi
      include_dir="$(cd "$2" && pwd -P)"
      shift 2
      ;;
    *)
      break
      ;;
  esac
done

if [ "$#" -lt 2 ]; then
  echo "usage: $0 [--fct-timeout F:T[,F:T...]] [--split F[,F...]] [--smoke] [--cvc4-first] [--include DIR] NAME FILE.c [FILE.c ...]" >&2
  exit 2
fi

name="$1"
shift

# Absolute paths, because frama-c runs from a scratch directory.
files=()
for f in "$@"; do
  if [ ! -f "$f" ]; then
    echo "wp_gate: no such file: $f" >&2
    exit 2
  fi
  files+=("$(cd "$(dirname "$f")" && pwd -P)/$(basename "$f")")
done
incdir="${include_dir:-$(dirname "${files[0]}")}"

scratch_root="${TEST_TMPDIR:-${TMPDIR:-/tmp}}"
work="$(mktemp -d "$scratch_root/wp_gate.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Bazel runs tests with HOME unset; WP then finds no prover configuration.
if [ -z "${WHY3CONFIG:-}" ]; then
  if ! why3 -C "$work/why3.conf" config detect >"$work/why3-detect.log" 2>&1; then
    cat "$work/why3-detect.log" >&2
    echo "wp_gate: why3 config detect failed" >&2
    exit 2
  fi
  export WHY3CONFIG="$work/why3.conf"
fi

timeout_s="${ZEN_WP_TIMEOUT:-40}"
par="${ZEN_WP_PAR:-2}"
log="$work/wp.log"
fct_args=()
if [ -n "$fct_timeout" ]; then
  fct_args=(-wp-fct-timeout "$fct_timeout")
fi

# run_wp LOG PROVERS [frama-c options...]: one WP run over the files. With
# --cvc4-first, the runs share a prover cache.
cache_args=()
if [ "$cvc4_first" -eq 1 ]; then
  mkdir -p "$work/cache"
  cache_args=(-wp-cache update -wp-cache-dir "$work/cache")
fi
run_wp() {
  local out="$1" provers="$2"
  shift 2
  (
    cd "$work" &&
    frama-c -wp -wp-rte -wp-prover "$provers" "${cache_args[@]}" \
      -wp-timeout "$timeout_s" "${fct_args[@]}" -wp-par "$par" \
      -kernel-warn-key typing:implicit-function-declaration=abort \
      -kernel-warn-key annot:missing-spec=abort \
      "-cpp-extra-args=-I$incdir" "$@" "${files[@]}"
  ) >"$out" 2>&1
}

# complete LOG: the run printed its summary and proved every goal.
complete() {
  grep -Eq '^\[wp\] Proved goals: +([0-9]+) / \1$' "$1"
}

# prove LOG [frama-c options...]: the files' goals. In one run with Z3 and
# CVC4 side by side, or with --cvc4-first in two: first CVC4 alone, which
# closes nearly every goal that Qed leaves in these proofs, two goals at a
# time (the gate's timeouts bound each prover process, so both provers
# side by side prove one goal at a time); then Z3 and CVC4 together, with
# the smoke tests: the goals CVC4 proved come back from the cache, and both
# provers try the rest. LOG is the last run's: it reports every goal.
# Without smoke tests, the second run is made only when the first left
# goals unproved.
prove() {
  local out="$1"
  shift
  if [ "$cvc4_first" -eq 1 ]; then
    run_wp "$out.cvc4" cvc4 "$@"
    local rc=$?
    if [ "${#smoke_args[@]}" -eq 0 ] && [ "$rc" -eq 0 ] && complete "$out.cvc4"; then
      mv "$out.cvc4" "$out"
      return 0
    fi
  fi
  run_wp "$out" z3,cvc4 "${smoke_args[@]}" "$@"
}

start_ns="$(date +%s%N)"
if [ -n "$split_fcts" ]; then
  prove "$work/wp_main.log" -wp-skip-fct "$split_fcts"
  rc=$?
  prove "$work/wp_split.log" -wp-fct "$split_fcts" -wp-split
  rc_split=$?
  if [ "$rc" -eq 0 ]; then rc=$rc_split; fi
  prove "$work/wp_lemmas.log" -wp-prop=@lemma
  rc_lemmas=$?
  if [ "$rc" -eq 0 ]; then rc=$rc_lemmas; fi
  cat "$work/wp_main.log" "$work/wp_split.log" "$work/wp_lemmas.log" >"$log"
else
  prove "$log"
  rc=$?
fi
end_ns="$(date +%s%N)"
secs="$(awk -v a="$start_ns" -v b="$end_ns" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"

# "[wp] Proved goals:    P / T", once per run: the runs add up. Every run
# must print it, except that the main run of a split may generate no goal
# (the named functions hold every goal of the files), nor its lemma run
# (files without lemmas).
summary="ok"
summary_in() { grep -Eq '^\[wp\] Proved goals: +[0-9]+ / [0-9]+' "$1"; }
summary_or_none_in() { summary_in "$1" || grep -q '^\[wp\] Warning: No goal generated' "$1"; }
if [ -n "$split_fcts" ]; then
  if ! summary_in "$work/wp_split.log"; then summary=""; fi
  if ! summary_or_none_in "$work/wp_main.log" || ! summary_or_none_in "$work/wp_lemmas.log"; then
    summary=""
  fi
elif ! summary_in "$log"; then
  summary=""
fi
summaries="$(grep -E '^\[wp\] Proved goals: +[0-9]+ / [0-9]+' "$log")"
proved="$(printf '%s\n' "$summaries" | sed -nE 's/.*Proved goals: +([0-9]+) \/ ([0-9]+).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')"
total="$(printf '%s\n' "$summaries" | sed -nE 's/.*Proved goals: +([0-9]+) \/ ([0-9]+).*/\2/p' | awk '{ s += $1 } END { print s + 0 }')"

# Goal lines: "[wp] [Prover] Goal typed_... : Valid ..." for proved goals,
# "[wp] [Failed] Goal typed_..." or "[wp] Goal typed_... : not tried" otherwise.
unproved="$(grep -E '^\[wp\] (\[[^]]+\] )?Goal ' "$log" | grep -v ' : Valid' |
  sed -E 's/^\[wp\] (\[[^]]+\] )?Goal ([^ ]+).*/\2/')"
# "[wp] [Failed] Smoke-test typed_..._wp_smoke_...": preconditions found contradictory.
unproved="$unproved${unproved:+ }$(grep -E '^\[wp\] \[Failed\] Smoke-test ' "$log" |
  sed -E 's/^\[wp\] \[Failed\] Smoke-test ([^ ]+).*/\1/')"

if [ "$rc" -ne 0 ] || [ -z "$summary" ]; then
  cat "$log" >&2
  echo "wp_gate: frama-c exited with status $rc or printed no goal summary" >&2
  echo "PROOF $name: proved ${proved:-0} / ${total:-?} goals in $secs s"
  exit 1
fi

if [ -n "${ZEN_PROOF_RECORD:-}" ]; then
  # Per-function table. A goal "typed_<fn>_<property>" belongs to the
  # longest analysed function name that prefixes it; lemma goals
  # ("typed_lemma_...", "typed_check_lemma_...") are grouped as (lemmas).
  {
    echo "# WP proof record: $name"
    echo
    echo "Frama-C $(frama-c -version 2>/dev/null | head -n 1), provers $([ "$cvc4_first" -eq 1 ] && echo "cvc4, then z3,cvc4" || echo z3,cvc4), timeout ${timeout_s} s${fct_timeout:+ (per function: ${fct_timeout})}, -wp-rte${split_fcts:+; with -wp-split: ${split_fcts}}."
    echo "Files: $*"
    echo "Result: proved $proved / $total goals in $secs s."
    echo
    awk '
      /^\[rte:annot\] annotating function / { fn[$NF] = 1; next }
      /^\[wp\] (\[[^]]+\] )?Goal / {
        line = $0
        prover = ""
        if (match(line, /^\[wp\] \[[^]]+\]/)) {
          prover = substr(line, 7, RLENGTH - 7)
        }
        sub(/^\[wp\] (\[[^]]+\] )?Goal /, "", line)
        goal = line
        sub(/ .*/, "", goal)
        g = goal
        sub(/^typed_/, "", g)
        owner = ""
        if (g ~ /^(check_)?lemma_/) owner = "(lemmas)"
        else {
          for (f in fn) {
            if (index(g, f "_") == 1 && length(f) > length(owner)) owner = f
          }
          if (owner == "") owner = "(other)"
        }
        total[owner]++
        if (line ~ / : Valid/) {
          proved[owner]++
          if (prover == "Qed") qed[owner]++
          else if (prover ~ /^Z3/) z3[owner]++
          else if (prover ~ /^CVC4/) cvc4[owner]++
          else other[owner]++
        }
        seen[owner] = 1
      }
      END {
        print "| function | goals | proved | Qed | Z3 | CVC4 | other | unproved |"
        print "|---|---:|---:|---:|---:|---:|---:|---:|"
        n = 0
        for (o in seen) names[++n] = o
        # insertion sort, for a stable order without gawk extensions
        for (i = 2; i <= n; i++) {
          v = names[i]; j = i - 1
          while (j > 0 && names[j] > v) { names[j + 1] = names[j]; j-- }
          names[j + 1] = v
        }
        for (i = 1; i <= n; i++) {
          o = names[i]
          printf "| %s | %d | %d | %d | %d | %d | %d | %d |\n", o, total[o], proved[o], \
            qed[o], z3[o], cvc4[o], other[o], total[o] - proved[o]
        }
      }
    ' "$log"
  } >"$ZEN_PROOF_RECORD"
fi

# The slowest goals a prover closed, from "Valid (Qed:...) (T)" where T is
# "850ms", "12.3s" or "1'05s"; cached answers keep their first time.
echo "Slowest goals ($name; timeout ${timeout_s} s${fct_timeout:+, per function ${fct_timeout}}):"
grep -E '^\[wp\] \[[^]Q][^]]*\] Goal [^ ]+ : Valid' "$log" | awk '
  {
    line = $0
    sub(/\(Qed:[^)]*\) /, "", line)
    if (!match(line, /Valid \([0-9.\x27]+m?s\)/)) next
    t = substr(line, RSTART + 7, RLENGTH - 8)
    if (t ~ /ms$/) secs = substr(t, 1, length(t) - 2) / 1000
    else if (index(t, "\x27")) {
      split(substr(t, 1, length(t) - 1), mp, "\x27"); secs = mp[1] * 60 + mp[2]
    } else secs = substr(t, 1, length(t) - 1) + 0
    goal = line
    sub(/^.*\] Goal /, "", goal)
    sub(/ .*/, "", goal)
    printf "%10.1f s  %s\n", secs, goal
  }' | sort -rn | head -n 5

if [ -n "$unproved" ]; then
  echo "Unproved goals ($name):"
  printf '  %s\n' $unproved
fi
echo "PROOF $name: proved $proved / $total goals in $secs s"

if [ "$proved" != "$total" ] || [ -n "$unproved" ]; then
  exit 1
fi
exit 0
