#!/usr/bin/env bash
# The main job: proves each component with the WP gate, then runs its fuzzer
# for a fixed time, and prints one table row per component.
#
#   bazel run //:verify -- [--seconds N] [--skip-proofs] [--component NAME]
#
#   --seconds N       fuzzing time per fuzzer in seconds (default 60)
#   --skip-proofs     fuzz only
#   --component NAME  only this component (page, zone, slab, seg, space or system)
#
# Sources (C files, corpora, dictionaries) are read from the workspace
# ($BUILD_WORKSPACE_DIRECTORY, set by `bazel run`); fuzzer binaries and the
# proof gate come from this target's runfiles. Each fuzzer works on a
# temporary copy of its corpus; the workspace is not modified.
#
# Exit status: 0 when every goal is proved and no fuzzer crashed, 1 otherwise,
# 2 on usage errors.
set -u

seconds=60
skip_proofs=0
only=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --seconds) seconds="${2:-}"; shift 2 ;;
    --seconds=*) seconds="${1#--seconds=}"; shift ;;
    --skip-proofs) skip_proofs=1; shift ;;
    --component) only="${2:-}"; shift 2 ;;
    --component=*) only="${1#--component=}"; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "verify: unknown argument: $1" >&2; exit 2 ;;
  esac
done
case "$seconds" in
  ''|*[!0-9]*) echo "verify: --seconds needs a whole number" >&2; exit 2 ;;
esac

runfiles="${RUNFILES_DIR:-$0.runfiles}/zen_core"
if [ ! -d "$runfiles" ]; then
  runfiles="$(pwd)"
fi
ws="${BUILD_WORKSPACE_DIRECTORY:-$runfiles}"
gate="$runfiles/proofs/wp_gate.sh"

# Components and their fuzzers. A component's gate runs are the lines
# "COMPONENT|[gate options] NAME FILE..." of proofs/gate_runs.txt, written
# from proofs/gates.bzl (files workspace-relative); its row adds up their
# goals and times.
components=(page zone slab seg space system)
fuzzer_page="page_fuzz"
fuzzer_zone="zone_fuzz"
fuzzer_slab="slab_fuzz"
fuzzer_seg="seg_fuzz"
fuzzer_space="space_fuzz"
fuzzer_system="system_fuzz"
gate_runs="$runfiles/proofs/gate_runs.txt"
if [ ! -f "$gate_runs" ]; then
  echo "verify: gate list not found: $gate_runs" >&2
  exit 2
fi

if [ -n "$only" ]; then
  case " ${components[*]} " in
    *" $only "*) components=("$only") ;;
    *) echo "verify: unknown component: $only (${components[*]})" >&2; exit 2 ;;
  esac
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/zen_verify.XXXXXX")"
keep_tmp=0
cleanup() { if [ "$keep_tmp" -eq 0 ]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT

status=0
rows=()

for c in "${components[@]}"; do
  runs=()
  while IFS='|' read -r component run; do
    if [ "$component" = "$c" ]; then runs+=("$run"); fi
  done <"$gate_runs"
  fuzzer_var="fuzzer_$c"
  fuzzer="${!fuzzer_var}"

  # Proofs.
  goals="-"
  proof_s="-"
  if [ "$skip_proofs" -eq 0 ] && [ "${#runs[@]}" -eq 0 ]; then
    goals="none"
  elif [ "$skip_proofs" -eq 0 ]; then
    echo "== proving $c"
    : >"$tmp/$c.proof.log"
    for run in "${runs[@]}"; do
      read -ra words <<<"$run"
      gate_args=()
      for w in "${words[@]}"; do
        case "$w" in
          core/*) gate_args+=("$ws/$w") ;;
          *) gate_args+=("$w") ;;
        esac
      done
      bash "$gate" "${gate_args[@]}" | tee -a "$tmp/$c.proof.log"
      if [ "${PIPESTATUS[0]}" -ne 0 ]; then status=1; fi
    done
    # "PROOF NAME: proved P / T goals in S s", one line per run.
    sums="$(grep -E '^PROOF [^:]+: proved ' "$tmp/$c.proof.log" |
      sed -nE 's/.*proved ([0-9]+) \/ ([0-9?]+) goals in ([0-9.]+) s$/\1 \2 \3/p' |
      awk -v n="${#runs[@]}" '
        { p += $1; if ($2 == "?") bad = 1; else t += $2; s += $3; k++ }
        END { if (k == n && !bad) printf "%d/%d %.1f\n", p, t, s }')"
    goals="${sums% *}"
    proof_s="${sums#* }"
    goals="${goals:-error}"
    proof_s="${proof_s:--}"
  fi

  # Fuzzing, on a writable copy of the corpus.
  bin="$runfiles/fuzz/$fuzzer"
  corpus="$tmp/$c.corpus"
  artifacts="$tmp/$c.artifacts"
  mkdir -p "$corpus" "$artifacts"
  if [ -d "$ws/fuzz/corpus/$c" ]; then
    cp -R "$ws/fuzz/corpus/$c/." "$corpus/"
  fi
  dict_args=()
  if [ -f "$ws/fuzz/$c.dict" ]; then
    dict_args=("-dict=$ws/fuzz/$c.dict")
  fi
  echo "== fuzzing $c for $seconds s"
  if [ ! -x "$bin" ]; then
    echo "verify: fuzzer not found: $bin" >&2
    rows+=("$c|$goals|$proof_s|-|-|-|missing fuzzer")
    status=1
    continue
  fi
  fuzz_start=$(date +%s)
  (cd "$tmp" && "$bin" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${dict_args[@]}" "$corpus") >"$tmp/$c.fuzz.log" 2>&1
  fuzz_rc=$?
  elapsed=$(( $(date +%s) - fuzz_start ))
  execs="$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$tmp/$c.fuzz.log" | tail -n 1)"
  rate="$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$tmp/$c.fuzz.log" | tail -n 1)"
  # libFuzzer reports 0 exec/s for runs shorter than a second.
  if [ "${rate:-0}" = 0 ] && [ -n "$execs" ] && [ "$elapsed" -gt 0 ]; then
    rate=$(( execs / elapsed ))
  fi
  nfiles="$(find "$corpus" -type f | wc -l)"
  ncrash="$(find "$artifacts" -type f | wc -l)"
  crashes="$ncrash"
  if [ "$fuzz_rc" -ne 0 ] || [ "$ncrash" -ne 0 ]; then
    status=1
    keep_tmp=1
    [ "$ncrash" -eq 0 ] && crashes="exit $fuzz_rc"
    tail -n 40 "$tmp/$c.fuzz.log"
    echo "verify: $c fuzzer failed; log and artifacts kept in $tmp" >&2
  fi
  rows+=("$c|$goals|$proof_s|${execs:--}|${rate:--}|$nfiles|$crashes")
done

echo
printf '%-10s | %-20s | %-8s | %-12s | %-8s | %-7s | %s\n' \
  component "goals proved/total" "proof s" "fuzz execs" "exec/s" corpus crashes
printf '%s\n' "-----------+----------------------+----------+--------------+----------+---------+--------"
for r in "${rows[@]}"; do
  IFS='|' read -r a b c d e f g <<<"$r"
  printf '%-10s | %-20s | %-8s | %-12s | %-8s | %-7s | %s\n' "$a" "$b" "$c" "$d" "$e" "$f" "$g"
done
if [ "$status" -eq 0 ]; then
  echo "verify: OK"
else
  echo "verify: FAILED"
fi
exit "$status"
