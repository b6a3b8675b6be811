#!/usr/bin/env bash
# Test the module inside a real ns-3 source tree built with ns-3's assertions on.
#
#   scripts/test-ns3-tree.sh intree   Debian 12 (bookworm) ns-3 source, CMake, as contrib/lisp
#   scripts/test-ns3-tree.sh newer    Debian 13 (trixie) ns-3 source, CMake, as contrib/lisp
#   scripts/test-ns3-tree.sh waf      Debian 11 (bullseye) ns-3 source, waf, as contrib/lisp
#
# The ns-3 source comes only from Debian's archive, through `apt-get source ns3`, with a
# deb-src entry for that one suite in a private apt configuration (its own sources folder,
# package lists and cache, in a temporary folder removed on exit, failure included): the
# machine's /etc/apt, package lists and installed packages are never touched.
#
# The unpacked and built ns-3 tree is cached outside the clone, keyed by the Debian
# version, in ${LISP_NS3_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lisp-ns3}/<version>/.
# A later run copies the module into contrib/lisp of the cached tree (rsync, by content)
# and rebuilds only what changed. The tree is configured with the default
# build profile (NS3_ASSERT and NS3_LOG on), only the modules the module needs, tests
# and examples; then every test/lisp-*-test-suite.cc suite runs through test.py and
# every example once. Builds run under `nice -n 19` with LISP_NS3_JOBS jobs (default 2).
#
# Exit status: 0 when everything passed, 1 on a failure, 77 when Debian's archive does
# not serve the ns-3 source of that suite (nothing was tested; the message says so), or 0
# in that case too with LISP_NS3_ALLOW_SKIP=1 (.ci/run, whose machines may not reach it).
set -euo pipefail

mode=${1:-}
case "$mode" in
intree) suite=bookworm ;;
newer) suite=trixie ;;
waf) suite=bullseye ;;
*)
    echo "usage: $0 intree|newer|waf" >&2
    exit 2
    ;;
esac

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${LISP_NS3_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lisp-ns3}
jobs=${LISP_NS3_JOBS:-2}
mirror=${LISP_DEBIAN_MIRROR:-http://deb.debian.org/debian}
start=$SECONDS

step() { printf '\n==> [%s %4ds] %s\n' "$mode" $((SECONDS - start)) "$*"; }
die() {
    printf '\n==> [%s] FAILED: %s\n' "$mode" "$*" >&2
    exit 1
}

# ---------------------------------------------------------------------------------------
# 1. The source: apt-get source ns3 from <suite>, once per Debian version.
# ---------------------------------------------------------------------------------------
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

apt_private() {
    apt-get -o Dir::Etc::SourceList=/dev/null \
        -o Dir::Etc::SourceParts="$work/apt/sources.list.d" \
        -o Dir::State::Lists="$work/apt/lists" -o Dir::Cache="$work/apt/cache" \
        -o Debug::NoLocking=1 "$@"
}
apt_cache_private() {
    apt-cache -o Dir::Etc::SourceList=/dev/null \
        -o Dir::Etc::SourceParts="$work/apt/sources.list.d" \
        -o Dir::State::Lists="$work/apt/lists" -o Dir::Cache="$work/apt/cache" "$@"
}

step "looking up the ns3 source package of Debian $suite"
mkdir -p "$work/apt/sources.list.d" "$work/apt/lists/partial" "$work/apt/cache/archives/partial"
cat >"$work/apt/sources.list.d/lisp-ns3-$suite.sources" <<EOF
Types: deb-src
URIs: $mirror
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt_private -qq update >"$work/apt-update.log" 2>&1 || {
    cat "$work/apt-update.log" >&2
    die "apt-get update of the deb-src entry for $suite failed"
}
version=$(apt_cache_private showsrc ns3 | sed -n 's/^Version: //p' | sort -V | tail -1)
[ -n "$version" ] || die "Debian $suite has no ns3 source package"
upstream=${version%%-*}
upstream=${upstream%%+*}
echo "Debian $suite: ns3 $version (ns-$upstream)"

root="$cache/$version"
if [ ! -f "$root/.unpacked" ]; then
    step "downloading and unpacking ns3 $version with apt-get source (once per version)"
    mkdir -p "$work/src"
    if ! (cd "$work/src" && apt_private -q source ns3="$version" >"$work/source.log" 2>&1); then
        cat "$work/source.log" >&2
        if grep -q '404' "$work/source.log"; then
            printf '\n==> [%s] SKIPPED, NOTHING TESTED: Debian'"'"'s archive (%s) does not serve the source of ns3 %s\n' \
                "$mode" "$mirror" "$version" >&2
            [ "${LISP_NS3_ALLOW_SKIP:-0}" = 1 ] && exit 0
            exit 77
        fi
        die "apt-get source ns3=$version failed"
    fi
    # The Debian source holds the ns-3 tree itself or an allinone folder around it.
    core=$(cd "$work/src" && find . -maxdepth 6 -path '*/src/core/model/simulator.h' | head -1)
    [ -n "$core" ] || die "no ns-3 tree found in the ns3 $version source"
    rm -rf "$root"
    mkdir -p "$root"
    mv "$work/src/${core%/src/core/model/simulator.h}" "$root/ns-3"
    touch "$root/.unpacked"
fi
tree="$root/ns-3"

# ---------------------------------------------------------------------------------------
# 2. The module in contrib/lisp, then configure (once) and build.
# ---------------------------------------------------------------------------------------
step "copying the module into $tree/contrib/lisp"
mkdir -p "$tree/contrib/lisp"
# By content, not time: a changed file gets a new time, so the build sees it even when the
# tree's copy was newer than the clone's (a branch switch, a hand edit in the cache).
rsync -rlp --checksum --delete --exclude='/.git' --exclude='/build*/' "$repo/" "$tree/contrib/lisp/"

suites=()
for file in "$repo"/test/lisp-*-test-suite.cc; do
    name=${file##*/}
    suites+=("${name%-test-suite.cc}")
done
examples=$(sed -n "s/^ *'\(lisp-[a-z0-9-]*\)',\$/\1/p" "$repo/examples/wscript")

cd "$tree"
if [ "$mode" = waf ]; then
    if [ ! -f "$root/.configured" ]; then
        step "configuring ns-$upstream with waf (modules lisp, internet-apps; debug profile)"
        nice -n 19 python3 ./waf configure -d debug --disable-werror --enable-tests \
            --enable-examples --enable-modules=lisp,internet-apps --disable-python
        touch "$root/.configured"
    fi
    step "building (nice -n 19, -j$jobs)"
    nice -n 19 python3 ./waf build -j"$jobs" || die "waf build failed"
    run_example() { python3 ./waf --run-no-build "$1"; }
else
    if [ ! -f "$root/.configured" ]; then
        step "configuring ns-$upstream with CMake (modules lisp, internet-apps; default profile)"
        # Only the tests and examples that use the module: ns-3's own would double the build.
        nice -n 19 ./ns3 configure -d default --enable-tests --enable-examples \
            --enable-modules="lisp;internet-apps" --filter-module-examples-and-tests=lisp \
            --disable-python-bindings ||
            die "configure failed"
        touch "$root/.configured"
    fi
    step "building (nice -n 19, -j$jobs)"
    # cmake --build, not ./ns3 build, which never runs more jobs than cores - 1
    nice -n 19 cmake --build cmake-cache -j "$jobs" || die "build failed"
    run_example() { ./ns3 run --no-build "$1"; }
fi

# ---------------------------------------------------------------------------------------
# 3. Every lisp-* suite through test.py, every example once.
# ---------------------------------------------------------------------------------------
failed=()
passed=0
for s in "${suites[@]}"; do
    step "test.py --suite=$s"
    if python3 ./test.py --no-build --nocolor --suite="$s" --text="$work/$s"; then
        passed=$((passed + 1))
    else
        cat "$work/$s.txt" 2>/dev/null || true
        failed+=("suite $s")
    fi
done
for e in $examples; do
    step "example $e"
    if [ "$e" = lisp-wire-samples ]; then
        # A C program the build does not register with ns-3's runner: run it by path.
        program=$(find build -type f -perm -u+x -name "*$e*" | head -1)
        run=("$program" --out "$work/$e.pcap")
    else
        run=(run_example "$e")
    fi
    if [ -n "${run[0]}" ] && "${run[@]}" >"$work/$e.log" 2>&1; then
        tail -3 "$work/$e.log"
        passed=$((passed + 1))
    else
        cat "$work/$e.log"
        failed+=("example $e")
    fi
done

step "ns-$upstream (Debian $suite, $mode): ${#suites[@]} suites, $(echo $examples | wc -w) examples"
echo "$passed passed, ${#failed[@]} failed"
if [ ${#failed[@]} -ne 0 ]; then
    printf '  failed: %s\n' "${failed[@]}"
    exit 1
fi
