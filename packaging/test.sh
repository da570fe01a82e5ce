#!/usr/bin/env bash
# The whole test suite from a fresh Debian 12 machine: install dependencies, build, run CTest.
# Used by the README's second command and by .ci/run.
set -euo pipefail
# With several OpenMP threads on a busy machine, spinning waits make LibTorch many times slower.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/packaging/install-deps.sh" --tests
# The package test (label package) builds the .deb with CPack and checks it from a clean root.
# AAPE_CMAKE_ARGS: extra configure options (CI passes -DAAPE_WERROR=ON).
"$root/packaging/build.sh" -DAAPE_PACKAGE_TEST=ON ${AAPE_CMAKE_ARGS:-}
build=${AAPE_BUILD_DIR:-$root/build}
# OpenBLAS and OpenMP each start one thread per core; the tests run two at a time.
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" ${AAPE_CTEST_ARGS:-}
