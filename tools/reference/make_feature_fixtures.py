"""Writes the features stage's parity fixtures: deterministic inputs and what
the reference front ends (frontends.py) make of them.

    /usr/bin/python3 tools/reference/make_feature_fixtures.py OUT_DIR [--real-audio FLAC] [--float32]

The feature tests run it into a temp dir: nothing of it is stored in the
repository. Every array is raw float32
little-endian (NAME.f32); manifest.json gives each array's shape and the mel
banks (as the models use them, float32) as sparse rows.

CASE_efficientat and CASE_panns are the exact front ends (computed in
float64); --float32 adds CASE_efficientat_f32 and CASE_panns_f32, the float32
pipelines the models were trained with, which are only accurate to ~2e-4
(see frontends.py). --real-audio adds a recorded 32 kHz clip. Neither is
stored in the repository: the tests ask for them when they regenerate into a
temp dir.
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import frontends  # noqa: E402

SEED = 20240611


def chirp_and_noise(n, seed=SEED):
    """A 100 Hz -> 14 kHz exponential chirp with seeded white noise: energy
    in every mel band, and no exact zeros for the logs to hit."""
    t = np.arange(n, dtype=np.float64) / frontends.SAMPLE_RATE
    duration = n / frontends.SAMPLE_RATE
    f0, f1 = 100.0, 14000.0
    k = math.log(f1 / f0) / duration
    phase = 2 * math.pi * f0 * (np.exp(k * t) - 1) / k
    noise = np.random.default_rng(seed).standard_normal(n)
    return (0.5 * np.sin(phase) + 0.05 * noise).astype(np.float32)


def sparse_rows(banks):
    rows = []
    for row in np.asarray(banks, dtype=np.float32):
        nz = np.nonzero(row)[0]
        first = int(nz[0]) if nz.size else 0
        last = int(nz[-1]) if nz.size else -1
        rows.append({"first": first, "weights": [float(w) for w in row[first:last + 1]]})
    return rows


def write(out_dir, manifest, name, array):
    array = np.ascontiguousarray(np.asarray(array, dtype="<f4"))
    array.tofile(os.path.join(out_dir, name + ".f32"))
    manifest["arrays"][name] = list(array.shape)


def add_case(out_dir, manifest, case, samples, float32):
    write(out_dir, manifest, case + "_input", samples)
    x = torch.from_numpy(samples)
    write(out_dir, manifest, case + "_efficientat", frontends.efficientat(x, dtype=torch.float64).numpy())
    write(out_dir, manifest, case + "_panns", frontends.panns(x, dtype=torch.float64).numpy())
    if float32:
        write(out_dir, manifest, case + "_efficientat_f32", frontends.efficientat(x).numpy())
        write(out_dir, manifest, case + "_panns_f32", frontends.panns(x).numpy())
    manifest["cases"].append(case)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--real-audio", help="a 32 kHz mono file torchaudio can read")
    parser.add_argument("--float32", action="store_true", help="also write the float32 pipelines' outputs")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    torch.manual_seed(SEED)

    manifest = {"generator": "tools/reference/make_feature_fixtures.py", "torch": torch.__version__,
                "arrays": {}, "cases": []}
    full = chirp_and_noise(48000)  # 1.5 s
    add_case(args.out_dir, manifest, "chirp", full, args.float32)
    add_case(args.out_dir, manifest, "short", full[:3200], args.float32)  # 0.1 s, the shortest analysis
    add_case(args.out_dir, manifest, "tiny", full[:700], args.float32)    # barely above the reflect pad (512)

    if args.real_audio:
        import torchaudio
        wave, sr = torchaudio.load(args.real_audio)
        if sr != frontends.SAMPLE_RATE:
            sys.exit(f"{args.real_audio}: {sr} Hz, need {frontends.SAMPLE_RATE}")
        add_case(args.out_dir, manifest, "real", wave.mean(dim=0).numpy().astype(np.float32), args.float32)

    kaldi, kaldi_centres = frontends.efficientat_mel_banks()
    slaney, slaney_centres = frontends.slaney_mel_banks()
    manifest["banks"] = {
        "efficientat": {"centre_hz": [float(c) for c in kaldi_centres], "rows": sparse_rows(kaldi)},
        "panns": {"centre_hz": [float(c) for c in slaney_centres], "rows": sparse_rows(slaney)},
    }
    with open(os.path.join(args.out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
