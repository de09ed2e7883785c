#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then ctest over all labels
# (unit, model, http, web, sanitize) with a throwaway PostgreSQL cluster for
# the PostgreSQL variants (scripts/with-test-postgres.sh: started here, stopped
# and deleted on exit). Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/install-deps.sh --check   # one line naming what a test would miss, before an hour of building
scripts/build.sh
cd build
../scripts/with-test-postgres.sh ctest --output-on-failure --timeout 1800 -j2 "$@"
