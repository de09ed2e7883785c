#!/usr/bin/env bash
# Installs what soundlens needs to build, run and test, from Debian's packages
# (and the web app's npm packages). Safe to run again: installed packages are skipped.
#   scripts/install-deps.sh          install what is missing
#   scripts/install-deps.sh --program-only  only what building and running the service needs
#                                    (setup-and-run.sh): not the tests' Chromium, PyTorch, PostgreSQL server...
#   scripts/install-deps.sh --check  install nothing; verify that what the tests need is present
#                                    and works, and name in one line what is not (exit 1)
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests use beyond "the package is installed": each check runs the
# thing, so a package whose plug-in or backend is missing is caught here.
check_works() {
  local broken=()
  /usr/bin/python3 -c 'import torch, torchaudio, numpy' 2>/dev/null || broken+=("python3-torch/torchaudio/numpy (import fails)")
  /usr/bin/python3 -c 'import pytest, pandas' 2>/dev/null || broken+=("python3-pytest/python3-pandas (import fails)")
  /usr/bin/python3 -c 'import pyarmnn as a; r = a.IRuntime(a.CreationOptions()); assert r.GetDeviceSpec().GetSupportedBackends()' \
    2>/dev/null || broken+=("Arm NN's CpuRef backend (libarmnn-cpuref-backend22: Arm NN lists no backend)")
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || broken+=("PostgreSQL's server binaries (postgresql)")
  command -v pdftotext >/dev/null || broken+=("pdftotext (poppler-utils)")
  command -v ffmpeg >/dev/null || broken+=("ffmpeg")
  { command -v pulseaudio && command -v paplay && command -v pactl; } >/dev/null || broken+=("PulseAudio (pulseaudio, pulseaudio-utils: pulseaudio, paplay, pactl)")
  timeout 60 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --dump-dom about:blank >/dev/null 2>&1 || broken+=("Chromium (/usr/bin/chromium does not start headless)")
  { command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ]; } \
    || broken+=("Node.js 20 or newer")
  if ((${#broken[@]})); then
    local IFS=';'
    echo "install-deps --check: missing or broken: ${broken[*]} (run scripts/install-deps.sh)" >&2
    return 1
  fi
}

program_packages=(
  build-essential cmake pkg-config git
  libtorch-dev libopenblas0-openmp               # the networks; LibTorch calls BLAS, and Debian's default is the slow reference one
  libavformat-dev libavcodec-dev libswresample-dev libavutil-dev libsoxr-dev   # decoding
  libavdevice-dev                                # capture devices (soundlens live --input alsa:NAME / pulse:NAME)
  libcairo2-dev libpng-dev zlib1g-dev fonts-dejavu-core                  # figures
  libsqlite3-dev                                 # history
  libpq-dev                                      # history, jobs and accounts on PostgreSQL (--database)
  libcpp-httplib-dev libssl-dev libbrotli-dev    # HTTP (Debian's httplib is built with TLS and brotli)
  nlohmann-json3-dev
  pybind11-dev                                   # here too: it turns on position-independent code, so the test build reuses the program's objects
)
packages=(
  "${program_packages[@]}"
  ffmpeg                                         # makes test inputs
  postgresql                                     # a throwaway cluster for tests
  libgtest-dev libgmock-dev libbenchmark-dev     # tests and benchmarks
  poppler-utils                                  # pdftotext: the PDF report test reads its text back
  python3-torch python3-torchaudio python3-numpy # independent reference for parity tests (never at run time)
  flatbuffers-compiler                           # flatc: the TFLite fuzzer's seeds, written at its build (fuzz/make_tflite_seeds.py)
  python3-pyarmnn libarmnn-cpuref-backend22      # Arm NN and its CpuRef backend (its own package): a second runtime for the YAMNet parity test
  chromium                                       # end-to-end tests of the web app
  python3-pytest python3-pandas                  # the Python package's tests (pandas: events_frame)
  lintian systemd dpkg-dev                       # the Debian package's test (lintian, systemd-analyze verify, dpkg-shlibdeps)
  mmdebstrap                                     # ... and its fresh Debian 12 root from the mirror (without it: dpkg --root)
  espeak-ng                                      # synthetic speech for the --redact-speech tests
  pulseaudio pulseaudio-utils                    # a private PulseAudio daemon with a null sink: soundlens live --input pulse: is tested through it
)

missing=()
if [ "${1:-}" = --check ]; then
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "install-deps --check: packages not installed: ${missing[*]} (run scripts/install-deps.sh)" >&2
    exit 1
  fi
  check_works
  exit
fi
[ "${1:-}" = --program-only ] && packages=("${program_packages[@]}")
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
