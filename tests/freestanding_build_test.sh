#!/usr/bin/env bash
# Compiles every core/*.c as freestanding C11 with warnings as errors:
# with gcc and clang for the host, and with clang for bare-metal i386,
# x86_64, aarch64 and riscv64 targets. Fails if any compile fails.
set -u

core="${1:-core}"
out="${TEST_TMPDIR:-$(mktemp -d)}"
flags=(-std=c11 -ffreestanding -nostdlib -Wall -Wextra -Wconversion -Werror -c)
targets=(i386-unknown-none-elf x86_64-unknown-none-elf aarch64-unknown-none-elf riscv64-unknown-none-elf)

shopt -s nullglob
srcs=("$core"/*.c)
if [ "${#srcs[@]}" -eq 0 ]; then
  echo "no sources in $core" >&2
  exit 1
fi

failures=0
compile() {
  local label="$1"
  shift
  local src obj
  for src in "${srcs[@]}"; do
    obj="$out/$(basename "$src" .c).$label.o"
    if "$@" "${flags[@]}" -I"$core" "$src" -o "$obj"; then
      echo "ok   $label $src"
    else
      echo "FAIL $label $src"
      failures=$((failures + 1))
    fi
  done
}

compile gcc gcc
compile clang clang
for t in "${targets[@]}"; do
  compile "clang-$t" clang "--target=$t"
done

if [ "$failures" -ne 0 ]; then
  echo "$failures compile(s) failed"
  exit 1
fi
echo "all freestanding compiles passed"
