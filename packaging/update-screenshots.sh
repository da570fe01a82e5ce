#!/usr/bin/env bash
# Regenerates docs/screenshots/ from the headless demo tour (offscreen platform).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${AAPE_BUILD_DIR:-$root/build}
out=$(mktemp -d)
QT_QPA_PLATFORM=offscreen "$build/app/aape-studio" --headless-tour "$out"
cp "$out"/screenshots/*.png "$root/docs/screenshots/"
rm -rf "$out"
