#!/usr/bin/env bash
# Installs the Debian 12 packages Zen core needs (Bazel, clang, Frama-C,
# provers, allocators used by the benchmarks) and writes a why3 prover
# configuration. Safe to run more than once.
#
# Run as root, or as a user allowed to sudo (the script calls sudo itself):
#   bash tools/setup.sh
set -euo pipefail

packages=(
  bazel-bootstrap
  clang
  clang-14
  libclang-rt-14-dev
  gcc
  frama-c-base
  why3
  z3
  cvc4
  libgmp-dev
  libmimalloc-dev
  libjemalloc-dev
  zip
  unzip
)

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "setup.sh: needs root or sudo to install packages" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y "${packages[@]}" </dev/null

# Prover configuration for the user running this script (used by frama-c
# outside Bazel; the proof gate makes its own when WHY3CONFIG is unset).
# Under sudo, write it for the invoking user rather than root.
if [ -n "${SUDO_USER:-}" ] && [ "$(id -u)" -eq 0 ] && [ "$SUDO_USER" != root ]; then
  user_home="$(getent passwd "$SUDO_USER" | cut -d: -f6)"
  sudo -u "$SUDO_USER" why3 -C "$user_home/.why3.conf" config detect
elif [ -n "${HOME:-}" ]; then
  why3 -C "$HOME/.why3.conf" config detect
else
  echo "setup.sh: HOME is unset; skipping the why3 configuration" >&2
fi
echo "setup.sh: done"
