#!/usr/bin/env bash
# From a fresh Debian 12 machine: install dependencies, build, and open AAPE Studio on its
# built-in demo. Without a display, runs the demo workflow headless (offscreen platform):
# creates the demo project, trains, evaluates, exports, and saves a screenshot of every view.
set -euo pipefail
# With several OpenMP threads on a busy machine, spinning waits make LibTorch many times slower.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/packaging/install-deps.sh"
"$root/packaging/build.sh"
build=${AAPE_BUILD_DIR:-$root/build}
studio="$build/app/aape-studio"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    exec "$studio" --demo
fi
out=${AAPE_DEMO_OUT:-$root/demo-output}
echo "No display found: running the demo workflow headless; results go to $out"
QT_QPA_PLATFORM=offscreen "$studio" --demo --headless-tour "$out"
