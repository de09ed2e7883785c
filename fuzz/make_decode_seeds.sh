#!/usr/bin/env bash
# Writes the decode fuzzer's format seeds, a few hundred bytes each, with the
# ffmpeg program from a short 440 Hz tone: one file per container and codec
# the decoder accepts; and the WAV headers that once broke the decoder
# (make_decode_regressions.py). (The playlist and session files stay in
# fuzz/corpus/decode.)
#   fuzz/make_decode_seeds.sh OUT_DIR
set -euo pipefail
out="${1:?usage: make_decode_seeds.sh OUT_DIR}"
mkdir -p "$out"
tone() { ffmpeg -nostdin -loglevel error -y -f lavfi -i "sine=frequency=440:sample_rate=$1:duration=$2" -ac "$3" "${@:4}"; }
tone 8000 0.04 1 -c:a pcm_s16le "$out/s16_8k.wav"
tone 8000 0.04 1 -c:a pcm_mulaw "$out/mulaw.wav"
tone 8000 0.25 1 -c:a adpcm_ms "$out/adpcm_ms.wav"
tone 16000 0.02 2 -c:a pcm_f32le "$out/f32_stereo.wav"
tone 8000 0.03 1 -c:a pcm_s16be "$out/tiny.aiff"
tone 8000 0.03 1 -c:a pcm_s16le "$out/tiny.caf"
tone 8000 0.05 1 -c:a flac "$out/tiny.flac"
tone 8000 0.1 1 -c:a aac -b:a 16k "$out/tiny.m4a"
tone 8000 0.2 1 -c:a libmp3lame -b:a 8k "$out/tiny.mp3"
tone 8000 0.1 1 -c:a libvorbis -q:a 0 "$out/tiny.ogg"
tone 48000 0.1 1 -c:a libopus -b:a 6k "$out/tiny.opus"
tone 48000 0.1 1 -c:a libopus -b:a 6k "$out/tiny.webm"
python3 "$(dirname "$0")/make_decode_regressions.py" "$out"
