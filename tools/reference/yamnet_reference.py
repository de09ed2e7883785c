"""Independent float reference for soundlens' YAMNet (numpy + PyTorch, float64 front end).

Weights come from yamnet_tflite.py (our own Python flatbuffer reading and
int8 dequantisation, not the C++ reader). The network is written here in
TensorFlow's NHWC order, (patch, channel, time, mel) in torch terms, with
TensorFlow SAME padding computed from its definition; the C++ network uses
(patch, channel, mel, time) and fixed pads, so the two share no layout code.

  yamnet_reference.py run TFLITE WAVE.f32 OUT.json [--classes 0,1,...]
      WAVE.f32: raw little-endian float32 at 32 kHz. The recording is cut into
      windows of 31200 samples (0.975 s) every 15360 (0.48 s), zero-padded
      after the end, as many as YAMNet's own padding gives patches; each window
      is decimated to 16 kHz on its own (zero outside it), framed, and is one
      96-frame patch. Writes per window the log-mel patch (64 x 96, band-major),
      the 521 logits, and per class (YAMNet index) the Grad-CAM map of layer14
      (rows = 2 frequency cells from the lowest, cols = 3 time cells; full
      backward pass from the logit; raw, not normalised).
  yamnet_reference.py features16 TFLITE WAVE16.f32 OUT.json
      the whole-waveform front end on 16 kHz samples, as the TFLite graph
      computes it (64 x frames, band-major).
  yamnet_reference.py decimate WAVE.f32 OUT.f32
      the 2:1 decimation alone (float64, written as float64).
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import yamnet_tflite  # noqa: E402

WINDOW_32K = 31200
HOP_32K = 15360
HALF = 103
BETA = 10.06


def halfband_taps():
    n = np.arange(-HALF, HALF + 1)
    h = 0.5 * np.sinc(n / 2.0) * np.kaiser(2 * HALF + 1, BETA)
    return h / h.sum()


def decimate(x):
    """y[m] = sum_j h[j] x[2m + j], x zero outside: a full convolution, every other sample."""
    full = np.convolve(np.asarray(x, np.float64), halfband_taps())  # full[i] = sum_j h[j] x[i - j]; h symmetric
    return full[HALF::2][: (len(x) + 1) // 2]


def pad_like_graph(x16):
    n = len(x16)
    target = 15600 if n <= 15600 else 15600 + int(np.ceil((n - 15600) / 7680)) * 7680
    return np.concatenate([x16, np.zeros(target - n)])


def log_mel(x16, model):
    window = model["window"].astype(np.float64)
    mel = model["mel"].astype(np.float64)          # (64, 257)
    offset = model["offset"].astype(np.float64)    # (64,)
    x = pad_like_graph(np.asarray(x16, np.float64))
    frames = 1 + (len(x) - 400) // 160
    idx = np.arange(400)[None, :] + 160 * np.arange(frames)[:, None]
    spectrum = np.abs(np.fft.rfft(x[idx] * window, n=512))  # (frames, 257)
    return np.log(spectrum @ mel.T + offset).T      # (64, frames)


def load(path):
    m = yamnet_tflite.TfliteModel(path)
    ops = m.operators
    first = next(i for i, op in enumerate(ops) if op["op"] == "CONV_2D")
    out = {"convs": []}
    for op in ops[:first]:
        if op["op"] == "MUL" and m.tensors[op["inputs"][1]]["shape"] == [400]:
            out["window"] = m.constant(op["inputs"][1])
        if op["op"] == "FULLY_CONNECTED":
            out["mel"] = m.constant(op["inputs"][1])
            out["offset"] = m.constant(op["inputs"][2])
    for op in ops[first:first + 27]:
        opts = op["options"]
        stride = opts.scalar(1, "i")  # stride_w, the same field id in both option tables
        w = torch.from_numpy(m.constant(op["inputs"][1]).astype(np.float32))
        b = torch.from_numpy(m.constant(op["inputs"][2]).astype(np.float32))
        if op["op"] == "DEPTHWISE_CONV_2D":
            w = w.permute(3, 0, 1, 2).contiguous()   # [1, kh, kw, C] -> (C, 1, time, mel)
            groups = w.shape[0]
        else:
            w = w.permute(0, 3, 1, 2).contiguous()   # [out, kh, kw, in] -> (out, in, time, mel)
            groups = 1
        out["convs"].append((w, b, stride, groups))
    fc = ops[first + 28]
    out["fc_w"] = torch.from_numpy(m.constant(fc["inputs"][1]).astype(np.float32))
    out["fc_b"] = torch.from_numpy(m.constant(fc["inputs"][2]).astype(np.float32))
    return out


def same_pad(x, kernel, stride):
    pads = []
    for size in (x.shape[3], x.shape[2]):  # F.pad takes the last axis first
        out = -(-size // stride)
        total = max((out - 1) * stride + kernel - size, 0)
        pads += [total // 2, total - total // 2]
    return F.pad(x, pads)


def network(model, patches):
    """patches: (N, 96 time, 64 mel) float32 -> logits (N, 521), layer14 maps (N, 1024, time 3, mel 2)."""
    x = patches.unsqueeze(1)
    for w, b, stride, groups in model["convs"]:
        x = F.relu(F.conv2d(same_pad(x, w.shape[2], stride), w, b, stride=stride, groups=groups))
    maps = x
    logits = F.linear(maps.mean(dim=(2, 3)), model["fc_w"], model["fc_b"])
    return logits, maps


def windows(wave):
    n = len(wave)
    count = 1 + (int(np.ceil((n - WINDOW_32K) / HOP_32K)) if n > WINDOW_32K else 0)
    padded = np.concatenate([wave, np.zeros(max(0, (count - 1) * HOP_32K + WINDOW_32K - n))])
    return [padded[p * HOP_32K: p * HOP_32K + WINDOW_32K] for p in range(count)]


def run(tflite, wave_path, out_path, classes):
    model = load(tflite)
    wave = np.fromfile(wave_path, dtype="<f4").astype(np.float64)
    mels = [log_mel(decimate(w), model) for w in windows(wave)]  # each (64, 96)
    patches = torch.tensor(np.stack([m.T for m in mels]), dtype=torch.float32, requires_grad=True)
    logits, maps = network(model, patches)
    maps.retain_grad()
    cams = []
    for c in classes:
        if maps.grad is not None:
            maps.grad.zero_()
        logits[:, c].sum().backward(retain_graph=True)
        weights = maps.grad.mean(dim=(2, 3), keepdim=True)
        cam = torch.relu((weights * maps).sum(dim=1)).detach()  # (N, time, mel)
        cams.append(cam.permute(0, 2, 1).tolist())              # (N, mel rows, time cols)
    with open(out_path, "w") as f:
        json.dump({"mels": [m.astype(np.float32).tolist() for m in mels],
                   "logits": logits.detach().tolist(), "classes": classes, "cams": cams}, f)


def main(argv):
    if argv[0] == "run":
        classes = [int(c) for c in argv[argv.index("--classes") + 1].split(",")] if "--classes" in argv else []
        with torch.enable_grad():
            run(argv[1], argv[2], argv[3], classes)
    elif argv[0] == "features16":
        model = load(argv[1])
        x = np.fromfile(argv[2], dtype="<f4").astype(np.float64)
        with open(argv[3], "w") as f:
            json.dump({"mel": log_mel(x, model).tolist()}, f)
    elif argv[0] == "decimate":
        decimate(np.fromfile(argv[1], dtype="<f4")).astype("<f8").tofile(argv[2])


if __name__ == "__main__":
    main(sys.argv[1:])
