#!/usr/bin/env bash
# On a machine with a CUDA GPU and a pip torch (nothing else installed): builds the tensor
# library against that torch and runs the GPU checks. Needs nlohmann-json headers; pass their
# folder as NLOHMANN_INCLUDE if they are not installed system-wide.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${AAPE_GPU_BUILD_DIR:-$root/build-gpu}
prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
extra=()
if [ -n "${NLOHMANN_INCLUDE:-}" ]; then
    extra+=("-DCMAKE_CXX_FLAGS=-I$NLOHMANN_INCLUDE" "-Dnlohmann_json_DIR=$NLOHMANN_INCLUDE/../share/cmake/nlohmann_json")
fi
cmake -S "$root" -B "$build" -DAAPE_TENSOR_ONLY=ON -DAAPE_BUILD_TESTS=OFF -DCMAKE_PREFIX_PATH="$prefix" "${extra[@]}"
cmake --build "$build" -j "$(nproc)" --target aape-gpu-check
"$build/tests/gpu/aape-gpu-check" "$@"
