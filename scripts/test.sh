#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then ctest over all labels
# (unit, model, http, web, sanitize). Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure --timeout 1800 -j2 "$@"
