#!/usr/bin/env bash
# Configures and builds AAPE Studio into ./build (Release with debug info, Ninja).
# Extra arguments go to CMake's configure step, e.g. -DAAPE_BUILD_GUI=OFF.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${AAPE_BUILD_DIR:-$root/build}
jobs=${AAPE_JOBS:-$(nproc)}
cmake -S "$root" -B "$build" -G Ninja "$@"
cmake --build "$build" -j "$jobs"
