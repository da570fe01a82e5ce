#!/usr/bin/env bash
# Fails when a tracked C++ file differs from what clang-format (the committed .clang-format,
# clang-format 14 as Debian 12 ships it) would make of it; prints the files to fix.
# Fix with: git ls-files '*.cpp' '*.h' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v clang-format >/dev/null; then
    echo "check-format: clang-format is not installed (packaging/install-deps.sh --tests installs it)" >&2
    exit 1
fi
bad=()
while IFS= read -r file; do
    if ! clang-format --dry-run --Werror "$file" >/dev/null 2>&1; then
        bad+=("$file")
    fi
done < <(git ls-files '*.cpp' '*.h')
if [ "${#bad[@]}" -gt 0 ]; then
    printf 'check-format: not formatted with .clang-format: %s\n' "${bad[@]}" >&2
    echo "Fix with: clang-format -i FILE..." >&2
    exit 1
fi
echo "check-format: all C++ files match .clang-format"
