"""Reference explanation maps for soundlens' explain tests, written from the
papers on the plain torch.nn networks of networks.py: activations are taken
with forward hooks on the named modules and every gradient flows back through
the whole network (the C++ code reuses recorded activations and re-runs only
the layers after them; this does neither).

  explain_reference.py METHOD MODEL CHECKPOINT MEL.f32 N_MELS OUT.json
                       --classes 0,1 [--contrasts -1,5] [--steps 32] [--max-steps 256]
      METHOD: gradcam, gradcam++, layercam, integrated-gradients, occlusion.
      MODEL: efficientat or cnn14. MEL.f32: the log-mel input (n_mels rows,
      frames columns, row-major float32), the same input the C++ side used, so
      that only the method is compared. Writes the logits, and per class the
      raw (un-normalised) grid, rows from the lowest frequency, and for
      integrated gradients the completeness error.

Methods:
  gradcam     Selvaraju et al. 2017: w_k = mean_ij dY/dA, ReLU(sum_k w_k A_k).
  gradcam++   Chattopadhay et al. 2018, eq. 19 with S = exp(Y): alpha = g^2 /
              (2 g^2 + sum_ab A_ab g^3), w_k = sum_ij alpha relu(g) (exp(Y) dropped).
  layercam    Jiang et al. 2021: ReLU(sum_k relu(g_k) A_k) at each layer, each
              divided by its maximum, bilinearly upsampled (align_corners=False)
              to the finest layer, element-wise maximum.
  integrated-gradients  Sundararajan et al. 2017, trapezoid rule over m steps (m = 32,
              doubled while the completeness error is over 1%, up to 256), baseline =
              the model's silence floor; the map is relu(attributions).
  occlusion   patches of 0.32 s x 16 mel bins at stride half a patch, starting
              half a patch before the input, set to the silence floor; a cell
              (half a patch) gets the mean logit drop of the 4 patches covering
              it, relu.
Y is the logit of the class, or logit(A) - logit(B) with a contrast B.
"""
import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import model_reference  # noqa: E402

LAYERS = {
    "efficientat": ["features.6", "features.12", "features.16"],
    "cnn14": ["conv_block3", "conv_block4", "conv_block5", "conv_block6"],
}
SILENCE = {"efficientat": (math.log(1e-5) + 4.5) / 5, "cnn14": -100.0}
SECONDS_PER_FRAME = 320 / 32000


def module(net, name):
    m = net
    for part in name.split("."):
        m = m[int(part)] if part.isdigit() else getattr(m, part)
    return m


def as_map(model_name, a):
    """A hooked activation as (batch, C, freq, time)."""
    return a.transpose(2, 3) if model_name == "cnn14" else a


def score_of(logits, c, contrast):
    s = logits[:, c]
    return s - logits[:, contrast] if contrast >= 0 else s


def hooked_run(net, model_name, mel, layers):
    acts = {}
    handles = [module(net, name).register_forward_hook(
        lambda _m, _i, out, name=name: acts.__setitem__(name, out)) for name in layers]
    try:
        logits, _ = net(mel)
    finally:
        for h in handles:
            h.remove()
    return logits, [acts[name] for name in layers]


def cam_method(method, net, model_name, mel, targets):
    layers = LAYERS[model_name] if method == "layercam" else LAYERS[model_name][-1:]
    x = mel.unsqueeze(0).requires_grad_(True)  # gradients flow from the input on
    logits, acts = hooked_run(net, model_name, x, layers)
    grids = []
    for c, contrast in targets:
        grads = torch.autograd.grad(score_of(logits, c, contrast).sum(), acts, retain_graph=True)
        maps = [as_map(model_name, a.detach()) for a in acts]
        gs = [as_map(model_name, g) for g in grads]
        if method == "gradcam":
            w = gs[0].mean(dim=(2, 3), keepdim=True)
            cam = torch.relu((w * maps[0]).sum(1))
        elif method == "gradcam++":
            g, a = gs[0], maps[0]
            denom = 2 * g ** 2 + a.sum(dim=(2, 3), keepdim=True) * g ** 3
            alpha = g ** 2 / torch.where(denom != 0, denom, torch.ones_like(denom))
            w = (alpha * torch.relu(g)).sum(dim=(2, 3), keepdim=True)
            cam = torch.relu((w * a).sum(1))
        else:
            fused = None
            for a, g in zip(maps, gs):
                cam = torch.relu((torch.relu(g) * a).sum(1, keepdim=True))
                if cam.max() > 0:
                    cam = cam / cam.max()
                if fused is None:
                    fused = cam
                else:
                    cam = F.interpolate(cam, size=fused.shape[2:], mode="bilinear", align_corners=False)
                    fused = torch.maximum(fused, cam)
            cam = fused[:, 0]
        grids.append(cam[0].tolist())
    return logits[0].detach(), grids, None


def integrated_gradients(net, model_name, mel, targets, steps, max_steps=256, target_error=0.01):
    """Trapezoid rule over m steps; m doubles (computed afresh each time) while
    the completeness error exceeds 1%, up to 256."""
    baseline = torch.full_like(mel, SILENCE[model_name])
    with torch.no_grad():
        logits = net(mel.unsqueeze(0))[0][0]
        base_logits = net(baseline.unsqueeze(0))[0][0]
    grids, errors = [], []
    for c, contrast in targets:
        diff = float(score_of(logits[None], c, contrast) - score_of(base_logits[None], c, contrast))
        m = steps
        while True:
            total = torch.zeros_like(mel, dtype=torch.float64)
            for first in range(0, m + 1, 16):
                ks = list(range(first, min(first + 16, m + 1)))
                alphas = torch.tensor([k / m for k in ks], dtype=torch.float32)
                points = (baseline[None] + alphas[:, None, None] * (mel - baseline)[None]).requires_grad_(True)
                out, _ = net(points)
                grads = torch.autograd.grad(score_of(out, c, contrast).sum(), points)[0].double()
                for i, k in enumerate(ks):
                    total += (0.5 if k in (0, m) else 1.0) * grads[i]
            attributions = (mel - baseline).double() * total / m
            error = abs(float(attributions.sum()) - diff) / max(abs(diff), 1e-12)
            if error <= target_error or m * 2 > max_steps:
                break
            m *= 2
        errors.append(error)
        grids.append(torch.relu(attributions).tolist())
    return logits, grids, errors


def occlusion(net, model_name, mel, targets):
    mels, frames = mel.shape
    cell_f, cell_m = round(0.32 / SECONDS_PER_FRAME / 2), 8
    rows, cols = -(-mels // cell_m), -(-frames // cell_f)
    with torch.no_grad():
        logits = net(mel.unsqueeze(0))[0][0]
        drops = {t: np.zeros((rows + 1, cols + 1)) for t in targets}
        for r in range(-1, rows):
            batch = []
            for c in range(-1, cols):
                x = mel.clone()
                x[max(0, r * cell_m):(r + 2) * cell_m, max(0, c * cell_f):(c + 2) * cell_f] = SILENCE[model_name]
                batch.append(x)
            out, _ = net(torch.stack(batch))
            for t in targets:
                d = score_of(logits[None], *t) - score_of(out, *t)
                drops[t][r + 1, :] = d.double().numpy()
    grids = []
    for t in targets:
        d = drops[t]
        cell = (d[:-1, :-1] + d[:-1, 1:] + d[1:, :-1] + d[1:, 1:]) / 4
        grids.append(np.maximum(cell, 0).tolist())
    return logits, grids, None


def main(argv):
    method, model_name, checkpoint, mel_path, n_mels, out = argv[:6]
    classes = [int(c) for c in argv[argv.index("--classes") + 1].split(",")]
    contrasts = ([int(c) for c in argv[argv.index("--contrasts") + 1].split(",")]
                 if "--contrasts" in argv else [-1] * len(classes))
    steps = int(argv[argv.index("--steps") + 1]) if "--steps" in argv else 32
    max_steps = int(argv[argv.index("--max-steps") + 1]) if "--max-steps" in argv else 256
    targets = list(zip(classes, contrasts))
    net, _ = model_reference.load(model_name, checkpoint)
    mel = torch.from_numpy(np.fromfile(mel_path, dtype="<f4").copy()).view(int(n_mels), -1)
    if method in ("gradcam", "gradcam++", "layercam"):
        logits, grids, errors = cam_method(method, net, model_name, mel, targets)
    elif method == "integrated-gradients":
        logits, grids, errors = integrated_gradients(net, model_name, mel, targets, steps, max_steps)
    elif method == "occlusion":
        logits, grids, errors = occlusion(net, model_name, mel, targets)
    else:
        raise SystemExit("unknown method " + method)
    with open(out, "w") as f:
        json.dump({"logits": logits.tolist(), "classes": classes, "contrasts": contrasts, "grids": grids,
                   "completeness": errors}, f)


if __name__ == "__main__":
    main(sys.argv[1:])
