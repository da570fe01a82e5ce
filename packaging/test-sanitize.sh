#!/usr/bin/env bash
# CI's sanitizer pass, run beside the normal build: the core, the CLI and the core tests built
# with AddressSanitizer + UndefinedBehaviorSanitizer (gcc) in their own build folder and run
# with CTest (label core, without the slow ones); then, when clang is installed, every
# fuzzer for a short bounded time (AAPE_FUZZ_SECONDS each, default 15).
#   packaging/test-sanitize.sh
# Environment: AAPE_ASAN_BUILD_DIR (default build-asan), AAPE_FUZZ_BUILD_DIR (default
# build-fuzz), AAPE_FUZZ_SECONDS, AAPE_SKIP_FUZZ=1, AAPE_JOBS.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=${AAPE_JOBS:-$(nproc)}
asan_build=${AAPE_ASAN_BUILD_DIR:-$root/build-asan}
fuzz_build=${AAPE_FUZZ_BUILD_DIR:-$root/build-fuzz}
start=$(date +%s)

export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
# Any finding fails the test that triggered it. Leak checking stays off: LibTorch, OpenBLAS
# and OpenCV keep process-lifetime allocations that LeakSanitizer would report at every exit.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

echo "== sanitizer build (ASan + UBSan, gcc) in $asan_build"
# Line tables only (-g1): enough for the file:line of every stack frame a finding prints.
cmake -S "$root" -B "$asan_build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAAPE_DEBUG_INFO=lines \
    -DAAPE_BUILD_GUI=OFF -DAAPE_SANITIZE=ON
cmake --build "$asan_build" -j "$jobs"
echo "== sanitizer build done after $(( $(date +%s) - start )) s"
ctest --test-dir "$asan_build" --output-on-failure -j "$jobs" -L core -LE slow ${AAPE_CTEST_ARGS:-}
echo "== sanitizer tests passed after $(( $(date +%s) - start )) s"

if [ "${AAPE_SKIP_FUZZ:-0}" = 1 ]; then
    exit 0
fi
fuzzer_runtime=$(clang++ -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || true)
if ! command -v clang++ >/dev/null || [ ! -f "$fuzzer_runtime" ]; then
    echo "== clang++ or libFuzzer (libclang-rt-14-dev) is not installed: the fuzzers are not run"
    exit 0
fi
echo "== fuzzers (clang, libFuzzer + ASan + UBSan) in $fuzz_build, ${AAPE_FUZZ_SECONDS:-15} s each"
cmake -S "$root" -B "$fuzz_build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DAAPE_DEBUG_INFO=lines -DAAPE_FUZZ=ON -DAAPE_BUILD_GUI=OFF -DAAPE_BUILD_TESTS=OFF -DAAPE_FUZZ_SECONDS="${AAPE_FUZZ_SECONDS:-15}"
cmake --build "$fuzz_build" -j "$jobs" --target fuzz-build
echo "== fuzzer build done after $(( $(date +%s) - start )) s"
# The fuzz target runs the fuzzers one after another and fails on the first crash.
ASAN_OPTIONS= UBSAN_OPTIONS= cmake --build "$fuzz_build" --target fuzz
echo "== sanitizer build, tests and fuzzers passed in $(( $(date +%s) - start )) s"
