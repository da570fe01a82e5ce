#!/usr/bin/env bash
# Builds the Debian package from a configured and built build folder and checks it as a user
# would get it: the contents, the metadata files, that every Depends package exists in the
# configured Debian archive, that the programs run from the extracted tree (aape --version,
# aape demo finding the demo CLIP relative to the executable, the studio's headless tour), and
# that every library they loaded, linked or dlopen'ed plugin, belongs to a package that
# `apt-get install ./aape-studio_*.deb` installs on a machine with nothing installed (simulated
# with an empty dpkg status) or to a package every Debian system has (Priority: required).
#   packaging/test-package.sh BUILD_DIR        (CTest test "package", label package)
# Needs dpkg-dev, apt lists (apt-get update), appstream, desktop-file-utils and groff.
set -euo pipefail
build=$(cd "${1:?usage: test-package.sh BUILD_DIR}" && pwd)
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}

fail() {
    echo "test-package: FAIL: $*" >&2
    exit 1
}
step() { echo "test-package: $*"; }

for tool in cpack dpkg-deb dpkg-shlibdeps apt-cache appstreamcli desktop-file-validate groff ldd; do
    command -v "$tool" >/dev/null || fail "$tool is missing; run packaging/install-deps.sh"
done
[ -f "$build/CPackConfig.cmake" ] || fail "$build has no CPackConfig.cmake; configure it with CMake first"
apt-cache show libc6 >/dev/null 2>&1 || fail "apt has no package lists; run apt-get update"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step "building the package with cpack -G DEB"
start=$SECONDS
(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; fail "cpack failed"; }
debs=("$work"/out/aape-studio_*.deb)
[ -f "${debs[0]}" ] || fail "cpack wrote no aape-studio_*.deb into $work/out"
deb=${debs[0]}
step "built $(basename "$deb"): $(du -k "$deb" | cut -f1) KiB in $((SECONDS - start)) s"

dpkg-deb -I "$deb" >"$work/info.txt"
version=$(dpkg-deb -f "$deb" Version)
depends=$(dpkg-deb -f "$deb" Depends)
[ -n "$depends" ] || fail "the package declares no Depends"
echo "Depends: $depends"
echo "Recommends: $(dpkg-deb -f "$deb" Recommends)"

dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/contents.txt"
for path in /usr/bin/aape /usr/bin/aape-studio \
            /usr/share/applications/aape-studio.desktop \
            /usr/share/icons/hicolor/scalable/apps/aape-studio.svg \
            /usr/share/metainfo/io.github.aapestudio.AapeStudio.metainfo.xml \
            /usr/share/man/man1/aape.1.gz /usr/share/man/man1/aape-studio.1.gz \
            /usr/share/aape-studio/demo-clip/config.json /usr/share/aape-studio/demo-clip/model.safetensors \
            /usr/share/aape-studio/demo-clip/vocab.json /usr/share/aape-studio/demo-clip/merges.txt \
            /usr/share/doc/aape-studio/user-guide.md; do
    grep -qx -- "$path" "$work/contents.txt" || fail "the package lacks $path"
done
if grep -E '\.(qm|ts)$' "$work/contents.txt"; then
    fail "translations are compiled into the binary (Qt resources) and must not be shipped as files"
fi

step "extracting into a clean root"
dest=$work/root
dpkg -x "$deb" "$dest"

step "validating the desktop entry, the AppStream metainfo and the man pages"
desktop-file-validate "$dest/usr/share/applications/aape-studio.desktop" || fail "desktop-file-validate rejects the desktop entry"
appstreamcli validate --no-net "$dest/usr/share/metainfo/io.github.aapestudio.AapeStudio.metainfo.xml" ||
    fail "appstreamcli rejects the metainfo"
for page in aape aape-studio; do
    zcat "$dest/usr/share/man/man1/$page.1.gz" >"$work/$page.1"
    if ! groff -man -ww -z "$work/$page.1" 2>"$work/groff.err" || [ -s "$work/groff.err" ]; then
        cat "$work/groff.err" >&2
        fail "man page $page.1 has groff warnings"
    fi
done

step "checking that every library resolves"
for exe in aape aape-studio; do
    ldd "$dest/usr/bin/$exe" >"$work/ldd-$exe.txt" || fail "ldd cannot read $exe"
    if grep -q "not found" "$work/ldd-$exe.txt"; then
        grep "not found" "$work/ldd-$exe.txt" >&2
        fail "$exe needs libraries that are not installed"
    fi
done

step "checking that every Depends and Recommends package exists in the archive"
# One name per alternative: "a (>= 1), b | c" -> a b c.
names=$(echo "$depends, $(dpkg-deb -f "$deb" Recommends)" | tr ',|' '\n' | sed -E 's/\(.*\)//; s/:any//; s/^ +//; s/ +$//' | sed '/^$/d' | sort -u)
in_archive() {
    # A real package, or a virtual one that some real package provides.
    apt-cache show "$1" >/dev/null 2>&1 && return 0
    apt-cache showpkg "$1" 2>/dev/null | awk '/^Reverse Provides:/ {on = 1; next} on && NF {found = 1} END {exit !found}'
}
# One look-up for all (fast: apt-cache is slow to start); the names it did not list are looked
# up one by one, as virtual packages. That they install together is checked below by apt itself.
# shellcheck disable=SC2086 # one word per package name
apt-cache show --no-all-versions $names 2>/dev/null | sed -n 's/^Package: //p' | sort -u >"$work/known.txt" || true
for name in $(comm -23 <(echo "$names") "$work/known.txt"); do
    in_archive "$name" || fail "the package names '$name', which the configured Debian archive does not have"
done

step "running aape from the extracted tree"
aape=$dest/usr/bin/aape
got=$("$aape" --version)
[ "$got" = "aape $version" ] || fail "aape --version prints '$got', the package is version $version"

# A line only the packaged copy of the demo CLIP has: the demo must copy it from
# <prefix>/share/aape-studio, found relative to the executable, not from the source tree.
marker="packaged copy checked by test-package.sh $$"
echo "$marker" >>"$dest/usr/share/aape-studio/demo-clip/note.txt"
LD_DEBUG=files LD_DEBUG_OUTPUT=$work/ld-aape "$aape" demo "$work/demo" >"$work/demo.log" 2>&1 ||
    { cat "$work/demo.log" >&2; fail "aape demo failed"; }
grep -q "demo project: $work/demo/demo.aapeproj" "$work/demo.log" || { cat "$work/demo.log" >&2; fail "aape demo did not report the project"; }
grep -qx "$marker" "$work/demo/model/note.txt" ||
    fail "aape demo did not take the demo CLIP from the package's share/aape-studio/demo-clip"

step "running the studio headless from the extracted tree (2 epochs)"
start=$SECONDS
QT_QPA_PLATFORM=offscreen LD_DEBUG=files LD_DEBUG_OUTPUT=$work/ld-studio \
    "$dest/usr/bin/aape-studio" --headless-tour "$work/tour" --tour-epochs 2 >"$work/tour.log" 2>&1 ||
    { cat "$work/tour.log" >&2; fail "aape-studio --headless-tour failed"; }
shots=$(find "$work/tour/screenshots" -name '*.png' -size +1k | wc -l)
[ "$shots" -eq 6 ] || { cat "$work/tour.log" >&2; fail "the tour wrote $shots screenshots, expected 6"; }
[ -s "$work/tour/demo.aape.safetensors" ] || fail "the tour exported no bundle"
grep -qx "$marker" "$work/tour/demo/model/note.txt" || fail "the studio did not take the packaged demo CLIP"
step "tour finished in $((SECONDS - start)) s: 6 screenshots and a bundle"

step "simulating apt-get install ./$(basename "$deb") on a machine with nothing installed"
# An empty dpkg status makes apt resolve every dependency from the archive, as on a fresh system.
: >"$work/empty-status"
apt-get -s -o Dir::State::status="$work/empty-status" -o Debug::NoLocking=1 install --no-install-recommends \
    "$deb" >"$work/apt-sim.txt" 2>&1 || { cat "$work/apt-sim.txt" >&2; fail "apt cannot install the package"; }
awk '/^Inst / {print $2}' "$work/apt-sim.txt" | sort -u >"$work/installed.txt"
grep -qx aape-studio "$work/installed.txt" || { cat "$work/apt-sim.txt" >&2; fail "apt's simulation did not install aape-studio"; }

step "checking that those packages hold every library the programs loaded"
# Everything ld.so initialised in both runs, plugins included (LD_DEBUG=files: "calling init: PATH").
cat "$work"/ld-aape.* "$work"/ld-studio.* | sed -n 's/.*calling init: //p' | sort -u | grep -v "^$dest/" >"$work/loaded.txt" || true
# The xcb platform plugin is what a desktop session loads; the offscreen run does not.
xcb=$(find /usr/lib -path '*qt6/plugins/platforms/libqxcb.so' | head -n 1)
[ -n "$xcb" ] && echo "$xcb" >>"$work/loaded.txt"
[ "$(wc -l <"$work/loaded.txt")" -gt 20 ] || fail "LD_DEBUG recorded too few libraries; is this glibc's ld.so?"
# dpkg knows a file by one spelling: with merged /usr, /lib/x and /usr/lib/x are the same file,
# and alternatives (libblas.so.3) are symlinks owned by nobody. Ask for every spelling at once.
while read -r lib; do
    echo "$lib"
    case "$lib" in /usr/*) echo "${lib#/usr}" ;; *) echo "/usr$lib" ;; esac
    real=$(readlink -f "$lib")
    echo "$real"
    case "$real" in /usr/*) echo "${real#/usr}" ;; *) echo "/usr$real" ;; esac
done <"$work/loaded.txt" | sort -u >"$work/spellings.txt"
# "package[:arch][, package...]: path" -> "path package"
xargs -d '\n' dpkg -S <"$work/spellings.txt" 2>/dev/null |
    awk '{i = index($0, ": "); pkg = substr($0, 1, i - 1); sub(/[:,].*/, "", pkg); print substr($0, i + 2), pkg}' |
    sort -u >"$work/owners-by-path.txt" || true
missing=0
owned=0
while read -r lib; do
    real=$(readlink -f "$lib")
    owner=$(awk -v a="$lib" -v b="${lib#/usr}" -v c="/usr$lib" -v d="$real" -v e="${real#/usr}" -v f="/usr$real" \
        '$1 == a || $1 == b || $1 == c || $1 == d || $1 == e || $1 == f {print $2; exit}' "$work/owners-by-path.txt")
    if [ -z "$owner" ]; then
        echo "test-package: $lib was loaded but belongs to no Debian package" >&2
        missing=$((missing + 1))
    elif ! grep -qx "$owner" "$work/installed.txt" &&
        ! apt-cache show "$owner" 2>/dev/null | grep -qE '^(Priority: required|Essential: yes)'; then
        echo "test-package: $lib (package $owner) would be missing after apt-get install" >&2
        missing=$((missing + 1))
    else
        owned=$((owned + 1))
    fi
done <"$work/loaded.txt"
[ "$missing" -eq 0 ] || fail "$missing loaded libraries are not pulled in by the package's dependencies"
step "$owned loaded libraries, all from the $(wc -l <"$work/installed.txt") packages apt installs with it"

echo "test-package: PASS: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB, installed size $(dpkg-deb -f "$deb" Installed-Size) KiB)"
