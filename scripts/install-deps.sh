#!/usr/bin/env bash
# Installs what soundlens needs to build, run and test, from Debian's packages
# (and the web app's npm packages). Safe to run again: installed packages are skipped.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libtorch-dev libopenblas0-openmp               # the networks; LibTorch calls BLAS, and Debian's default is the slow reference one
  libavformat-dev libavcodec-dev libswresample-dev libavutil-dev libsoxr-dev ffmpeg   # decoding; ffmpeg makes test inputs
  libcairo2-dev libpng-dev zlib1g-dev fonts-dejavu-core                  # figures
  libsqlite3-dev                                 # history
  libpq-dev postgresql                           # history, jobs and accounts on PostgreSQL (--database); a throwaway cluster for tests
  libcpp-httplib-dev libssl-dev libbrotli-dev    # HTTP (Debian's httplib is built with TLS and brotli)
  nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev     # tests and benchmarks
  poppler-utils                                  # pdftotext: the PDF report test reads its text back
  python3-torch python3-torchaudio python3-numpy # independent reference for parity tests (never at run time)
  python3-pyarmnn                                # Arm NN CpuRef: a second runtime for the YAMNet parity test
  chromium                                       # end-to-end tests of the web app
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The web app needs Node.js 20 or newer (Next.js 16).
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
  if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    echo "warning: Node.js $(node --version) is older than 20; the web app will not build" >&2
  fi
fi
