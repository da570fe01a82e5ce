#!/usr/bin/env bash
# Installs every Debian 12 package AAPE Studio needs to build and run, and with --tests also
# what only the test suite needs. The README's two commands and .ci/run all call this script:
# it is the one list of system dependencies.
#   packaging/install-deps.sh           build + run (packaging/studio-demo.sh)
#   packaging/install-deps.sh --tests   build + run + test (packaging/test.sh, .ci/run)
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake ninja-build pkg-config ccache git ca-certificates
    # a linker several times faster than ld.bfd on the test executables (CMakeLists.txt)
    lld
    # engine
    libtorch-dev libopenblas0-pthread libopencv-dev libsqlite3-dev libsqlitecpp-dev
    nlohmann-json3-dev libcli11-dev libicu-dev libpcre2-dev zlib1g-dev
    # the log file behind error messages (size-capped, rotated, thread-safe)
    libspdlog-dev
    # satellite scenes, vector labels and georeferenced maps (GeoTIFF, JPEG2000, GeoPackage, ...)
    libgdal-dev
    # desktop application
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools linguist-qt6 libqt6sql6-sqlite
    qt6-svg-dev libqt6svg6 libqcustomplot-dev qt6-qpa-plugins libgl-dev
    # headless runs and screenshots
    xvfb xauth
    # a font with Chinese glyphs for the zh_CN translation
    fonts-wqy-microhei
)
test_packages=(
    # the format check of CI (packaging/check-format.sh)
    clang-format
    # the fuzzers of packaging/test-sanitize.sh (clang with libFuzzer and its sanitizer runtimes)
    clang libclang-rt-14-dev
    # checks of the man pages, the desktop entry and the AppStream metainfo (packaging/check-manpage.sh, test-package.sh)
    groff-base desktop-file-utils appstream
    # the bundle's Python example, run against `aape predict` (packaging/check-python-example.sh)
    python3-torch
    # tst_slurm: a single-node Slurm cluster for `aape cluster` (started only by root)
    slurm-wlm munge
    # gdalinfo and ogrinfo: the scene tests check the maps they write as QGIS users would
    gdal-bin
)
if [ "${1:-}" = --tests ]; then
    packages+=("${test_packages[@]}")
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${packages[@]}"
