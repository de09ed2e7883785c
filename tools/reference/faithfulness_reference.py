"""Reference for soundlens' faithfulness test: deletion curves (MoRF, LeRF)
over a map's own cells, written from the definition in issue 8, with the
reference networks of networks.py run in float64.

  faithfulness_reference.py IN.json OUT.json

IN.json: model ("efficientat" or "cnn14"), checkpoint, spectrogram (raw
float32 file, n_mels x n_frames row-major), n_mels, n_frames, window_frames,
hop_frames, silence_floor, min_frames, seed, and map {rows, cols, values
(row-major, lowest row first), frames_per_column, mel_bins_per_row,
class_index, contrast_index}.
OUT.json: steps, morf, lerf, morf_auc, lerf_auc, score, random_score,
random_morf, random_lerf.
"""
import json
import math
import sys

import numpy as np
import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import model_reference  # noqa: E402

MASK64 = (1 << 64) - 1
# Deletion steps per curve: step i removes round(i * cells / STEPS) cells (10 until 2026-12-06, now 5).
STEPS = 5


def splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


def windows(n_frames, window, hop):
    """The analysis' window starts: every hop, the last ending at the end."""
    if n_frames <= window:
        return [(0, n_frames)]
    starts = list(range(0, n_frames - window, hop))
    if starts[-1] != n_frames - window:
        starts.append(n_frames - window)
    return [(s, window) for s in starts]


def clip_probability(net, spec, cfg, removed_cells):
    m = cfg["map"]
    spec = spec.copy()
    fpc, per_row = m["frames_per_column"], m["mel_bins_per_row"]
    edges = [int(math.floor(r * per_row + 0.5)) for r in range(m["rows"])] + [cfg["n_mels"]]
    for cell in removed_cells:
        r, c = divmod(cell, m["cols"])
        spec[edges[r]:edges[r + 1], c * fpc:(c + 1) * fpc] = cfg["silence_floor"]
    inputs = []
    for start, length in windows(cfg["n_frames"], cfg["window_frames"], cfg["hop_frames"]):
        w = np.full((cfg["n_mels"], max(length, cfg["min_frames"])), cfg["silence_floor"], dtype=np.float64)
        w[:, :length] = spec[:, start:start + length]
        inputs.append(w)
    with torch.no_grad():
        logits, _ = net(torch.from_numpy(np.stack(inputs)))
    target = logits[:, m["class_index"]]
    if m["contrast_index"] >= 0:
        target = target - logits[:, m["contrast_index"]]
    return float(torch.sigmoid(target).max())


def curve(net, spec, cfg, order):
    n = len(order)
    return [clip_probability(net, spec, cfg, order[:(i * n + STEPS // 2) // STEPS]) for i in range(STEPS + 1)]


def auc(steps, probs, original):
    return float(np.trapz(probs, steps)) / original


def main(argv):
    cfg = json.load(open(argv[0]))
    net, _ = model_reference.load(cfg["model"], cfg["checkpoint"])
    net = net.double()
    spec = np.fromfile(cfg["spectrogram"], dtype="<f4").astype(np.float64).reshape(cfg["n_mels"], cfg["n_frames"])
    values = np.asarray(cfg["map"]["values"], dtype=np.float32)
    n = len(values)
    morf_order = list(np.argsort(-values, kind="stable"))
    lerf_order = list(np.argsort(values, kind="stable"))
    rand = [splitmix64(cfg["seed"] + i) for i in range(n)]
    rand_morf = sorted(range(n), key=lambda i: -rand[i])
    rand_lerf = sorted(range(n), key=lambda i: rand[i])
    steps = [((i * n + STEPS // 2) // STEPS) / n for i in range(STEPS + 1)]
    morf, lerf = curve(net, spec, cfg, morf_order), curve(net, spec, cfg, lerf_order)
    rmorf, rlerf = curve(net, spec, cfg, rand_morf), curve(net, spec, cfg, rand_lerf)
    original = morf[0]
    out = {"steps": steps, "morf": morf, "lerf": lerf,
           "morf_auc": auc(steps, morf, original), "lerf_auc": auc(steps, lerf, original),
           "random_morf": rmorf, "random_lerf": rlerf}
    out["score"] = out["lerf_auc"] - out["morf_auc"]
    out["random_score"] = auc(steps, rlerf, original) - auc(steps, rmorf, original)
    json.dump(out, open(argv[1], "w"))


if __name__ == "__main__":
    main(sys.argv[1:])
