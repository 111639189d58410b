#!/usr/bin/env bash
# OSS-Fuzz / ClusterFuzzLite style build of every fuzz/*_fuzz.c harness.
#
# Inputs (environment, as set by the OSS-Fuzz base-builder image):
#   CC                  C compiler (default clang)
#   CFLAGS              compiler flags, including the sanitizer flags
#   LIB_FUZZING_ENGINE  fuzzing engine link flag (default -fsanitize=fuzzer)
#   OUT                 output directory (default ./out)
#   SRC                 checkout root (default: the directory above fuzz/)
#
# For each fuzz/<n>_fuzz.c this writes:
#   $OUT/<n>_fuzz                     the fuzzer, linked with core/*.c and spec/*.c
#   $OUT/<n>_fuzz_seed_corpus.zip     fuzz/corpus/<n>/* (if that directory exists)
#   $OUT/<n>_fuzz.dict                fuzz/<n>.dict (if it exists)
set -euo pipefail

root="${SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$root"

CC="${CC:-clang}"
CFLAGS="${CFLAGS:--O1 -g -fsanitize=address,undefined -fsanitize=fuzzer-no-link}"
LIB_FUZZING_ENGINE="${LIB_FUZZING_ENGINE:--fsanitize=fuzzer}"
OUT="${OUT:-$root/out}"
mkdir -p "$OUT"

shopt -s nullglob

# Library sources: the core and the executable spec, without unit tests.
lib_srcs=()
for f in core/*.c spec/*.c; do
  case "$f" in
    *_test.c) ;;
    *) lib_srcs+=("$f") ;;
  esac
done

for harness in fuzz/*_fuzz.c; do
  fuzzer="$(basename "$harness" .c)"   # <n>_fuzz
  n="${fuzzer%_fuzz}"                  # <n>
  echo "building $fuzzer"
  # CFLAGS and LIB_FUZZING_ENGINE are word-split on purpose.
  # shellcheck disable=SC2086
  $CC $CFLAGS -std=c11 -Icore -Ispec "${lib_srcs[@]}" "$harness" \
    $LIB_FUZZING_ENGINE -o "$OUT/$fuzzer"

  if [ -d "fuzz/corpus/$n" ]; then
    rm -f "$OUT/${fuzzer}_seed_corpus.zip"
    seeds=(fuzz/corpus/"$n"/*)
    if [ "${#seeds[@]}" -gt 0 ]; then
      zip -q -j "$OUT/${fuzzer}_seed_corpus.zip" "${seeds[@]}"
    fi
  fi
  if [ -f "fuzz/$n.dict" ]; then
    cp "fuzz/$n.dict" "$OUT/$fuzzer.dict"
  fi
done
