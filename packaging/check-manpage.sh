#!/usr/bin/env bash
# Checks that the hand-written man page resources/aape.1 matches the real command line:
# every leaf subcommand of `aape --help` has a section "aape <command> ..." in the page, every
# option of `aape <command> --help` is named in that section, and every option the section
# names still exists. Also renders the page with groff and fails on any warning.
#   packaging/check-manpage.sh PATH/TO/aape PATH/TO/aape.1
set -euo pipefail
aape=${1:?usage: check-manpage.sh AAPE_BINARY MAN_PAGE}
page=${2:?usage: check-manpage.sh AAPE_BINARY MAN_PAGE}
[ -x "$aape" ] || { echo "check-manpage: $aape is not an executable; build the aape target first" >&2; exit 1; }
[ -f "$page" ] || { echo "check-manpage: $page does not exist" >&2; exit 1; }
command -v groff >/dev/null || { echo "check-manpage: groff is missing; run packaging/install-deps.sh" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# groff warnings (-ww) go to stderr; any of them fails the check.
if ! groff -man -ww -z "$page" 2>"$work/groff.err" || [ -s "$work/groff.err" ]; then
    echo "check-manpage: groff reports problems in $page:" >&2
    cat "$work/groff.err" >&2
    exit 1
fi
# Plain ASCII text, no hyphenation at line ends, wide lines so that option names stay whole.
LC_ALL=C groff -man -Tascii -P-c -P-b -P-u -rLL=200n "$page" 2>/dev/null > "$work/page.txt"

# Subcommand names listed under "Subcommands:" of a help text.
subcommands() {
    awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^[^ ]/ { on = 0 }'
}
# Long options of a help text (the part before the description), without --help.
options() {
    grep -oE '^  +(-[a-zA-Z],)?--[a-z0-9-]+' | grep -oE -- '--[a-z0-9-]+' | grep -vx -- '--help' | sort -u || true
}

leaves=()
for command in $("$aape" --help | subcommands); do
    nested=$("$aape" "$command" --help | subcommands)
    if [ -n "$nested" ]; then
        for sub in $nested; do leaves+=("$command $sub"); done
    else
        leaves+=("$command")
    fi
done
[ "${#leaves[@]}" -gt 5 ] || { echo "check-manpage: could not read the subcommands from '$aape --help'" >&2; exit 1; }

failures=0
for leaf in "${leaves[@]}"; do
    # The section: from the heading "   aape <leaf>" up to the next sub-section or section heading.
    awk -v heading="aape $leaf" '
        /^[A-Z]/ || /^   [^ ]/ { on = 0 }
        /^   aape / { line = substr($0, 4); if (line == heading || index(line, heading " ") == 1) on = 1 }
        on { print }' "$work/page.txt" > "$work/section.txt"
    if [ ! -s "$work/section.txt" ]; then
        echo "check-manpage: 'aape $leaf' has no section in $page" >&2
        failures=$((failures + 1))
        continue
    fi
    # shellcheck disable=SC2086 # $leaf is one or two words by construction
    "$aape" $leaf --help | options > "$work/cli-options.txt"
    grep -oE -- '--[a-z0-9]+(-[a-z0-9]+)*' "$work/section.txt" | grep -vx -- '--help' | sort -u > "$work/man-options.txt" || true
    while read -r option; do
        echo "check-manpage: 'aape $leaf $option' is not documented in $page" >&2
        failures=$((failures + 1))
    done < <(comm -23 "$work/cli-options.txt" "$work/man-options.txt")
    while read -r option; do
        echo "check-manpage: $page documents 'aape $leaf $option', which the command does not have" >&2
        failures=$((failures + 1))
    done < <(comm -13 "$work/cli-options.txt" "$work/man-options.txt")
done

if [ "$failures" -ne 0 ]; then
    echo "check-manpage: $failures problem(s); update $page to match '$aape <command> --help'" >&2
    exit 1
fi
echo "check-manpage: $page documents all ${#leaves[@]} commands of $aape and their options"
