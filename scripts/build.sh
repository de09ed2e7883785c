#!/usr/bin/env bash
# Builds the C++ program and the static web app (web/out).
#   scripts/build.sh [--build-dir DIR]                 everything: the program, the Python module, the
#                                                      tests and benchmarks (what the test command runs)
#   scripts/build.sh --program-only [--build-dir DIR]  the program and the web app, nothing else: what
#                                                      the service needs (setup-and-run.sh, package.sh)
# DIR defaults to build/. Both configure the same tree: the program's objects
# are shared, so building everything after the program compiles only the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=build
everything=ON
while (($#)); do
  case $1 in
    --program-only) everything=OFF; shift ;;
    --build-dir) build_dir=$2; shift 2 ;;
    *) echo "build.sh: unknown option $1 (use --program-only, --build-dir DIR)" >&2; exit 2 ;;
  esac
done
# The web app needs Node.js 20.11 or newer (Next.js 16 wants 20.9; the build's
# scripts use import.meta.dirname). Debian 12's own is 18: say so before the
# C++ build rather than fail after it with a TypeError.
if [ -f web/package.json ] && ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
    process.exit(a > 20 || (a === 20 && b >= 11) ? 0 : 1)' 2>/dev/null; then
  echo "build.sh: the web app needs Node.js 20.11 or newer; this machine has $(node --version 2>/dev/null || echo none)" \
       "(Debian 12 ships 18: install Node.js 20 or 22, e.g. from NodeSource, then run again)" >&2
  exit 1
fi
# Tests and benchmarks off for the program alone in a new tree: configuring them
# needs their packages (GoogleTest, Google Benchmark), which the service does not.
# A tree configured before keeps its tests (package.sh may build the program in
# the tree the tests run from).
if [ $everything = ON ]; then
  tests=(-DBUILD_TESTING=ON -DSOUNDLENS_BENCHMARKS=ON)
elif [ ! -f "$build_dir/CMakeCache.txt" ]; then
  tests=(-DBUILD_TESTING=OFF -DSOUNDLENS_BENCHMARKS=OFF)
else
  tests=()
fi
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "${tests[@]}" >/dev/null
if [ $everything = ON ]; then
  cmake --build "$build_dir" -j"$(nproc)"
else
  cmake --build "$build_dir" -j"$(nproc)" --target soundlens
fi
if [ -f web/package.json ]; then
  (cd web && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; } \
    && npm run build)
fi
