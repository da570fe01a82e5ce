#!/usr/bin/env bash
# Regenerates docs/screenshots/ from the headless demo tour (offscreen platform).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${AAPE_BUILD_DIR:-$root/build}
out=$(mktemp -d)
QT_QPA_PLATFORM=offscreen "$build/app/aape-studio" --headless-tour "$out"
cp "$out"/screenshots/*.png "$root/docs/screenshots/"
# The welcome page (with recent projects) and the Chinese main window come from the UI tests.
mkdir -p "$out/tests"
AAPE_SCREENSHOT_DIR="$out/tests" QT_QPA_PLATFORM=offscreen "$build/tests/tst_main_window" screenshots >/dev/null
AAPE_SCREENSHOT_DIR="$out/tests" QT_QPA_PLATFORM=offscreen "$build/tests/tst_translations" screenshot >/dev/null
cp "$out/tests/welcome.png" "$out/tests/main-zh_CN.png" "$root/docs/screenshots/"
# The Map and Review pages on the demo with a few planted label mistakes and unlabelled images.
AAPE_SHOTS_DIR="$out/tests" QT_QPA_PLATFORM=offscreen "$build/tests/tst_review" screenshotsOfTheDemo >/dev/null
cp "$out/tests/map.png" "$out/tests/review-mistakes.png" "$out/tests/review-label-next.png" "$root/docs/screenshots/"
# The Runs view's method comparison on the demo (all six methods, base-to-new, three seeds).
AAPE_SHOTS_DIR="$out/tests" QT_QPA_PLATFORM=offscreen "$build/tests/tst_compare_view" screenshotOfTheDemo >/dev/null
cp "$out/tests/compare.png" "$root/docs/screenshots/"
# The Scene page: a generated scene imported as tiles, a run trained on them, its map predicted.
AAPE_SHOTS_DIR="$out/tests" QT_QPA_PLATFORM=offscreen "$build/tests/tst_scene_page" screenshot >/dev/null
cp "$out/tests/scene.png" "$root/docs/screenshots/"
rm -rf "$out"
echo "docs/screenshots/ regenerated: $(ls "$root/docs/screenshots" | tr '\n' ' ')"
