#!/usr/bin/env bash
# One command for a fresh Debian 12 machine (as root): install, build the
# program and the web app (not the tests), and start the service with the
# default model on http://127.0.0.1:8000 (SQLite history in ./data).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --program-only
scripts/build.sh --program-only
exec build/src/soundlens serve "$@"
