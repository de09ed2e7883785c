"""Reference outputs for soundlens' model and Grad-CAM parity tests.

  model_reference.py make-cnn14 OUT.pth [--seed N]
      random CNN14 weights in the official checkpoint layout: a dict whose
      "model" entry is an OrderedDict state dict.
  model_reference.py run MODEL CHECKPOINT WAVE.f32 OUT.json [--classes 0,1,...]
      MODEL is efficientat or cnn14; WAVE.f32 raw little-endian float32 at
      32 kHz. Writes logits and, per class, the Grad-CAM map of the last conv
      block (full backward pass through the whole network; the map normalised
      by its maximum), rows = frequency cells from the lowest.
"""
import collections
import json
import sys

import numpy as np
import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import frontends  # noqa: E402
import networks  # noqa: E402


def load(model_name, checkpoint):
    state = torch.load(checkpoint, map_location="cpu")
    if "model" in state:
        state = state["model"]
    state = {k: v for k, v in state.items() if k not in networks.FRONT_END_KEYS}
    if model_name == "cnn14":
        net = networks.Cnn14(state["fc_audioset.weight"].shape[0])
        front = frontends.panns
    else:
        width = state["features.15.block.3.0.weight"].shape[0] / 160
        net = networks.MobileNetV3Audio(width, state["classifier.5.weight"].shape[0])
        front = frontends.efficientat
    net.load_state_dict(state)
    return net.eval(), front


def grad_cam(net, mel, classes):
    mel = mel.unsqueeze(0).requires_grad_(True)
    logits, maps = net(mel)
    maps.retain_grad()
    cams = []
    for c in classes:
        net.zero_grad()
        if maps.grad is not None:
            maps.grad.zero_()
        logits[0, c].backward(retain_graph=True)
        weights = maps.grad.mean(dim=(2, 3), keepdim=True)
        cam = torch.relu((weights * maps).sum(dim=1))[0].detach()
        peak = cam.max()
        cams.append((cam / peak if peak > 0 else cam).tolist())
    return logits[0].detach(), cams


def main(argv):
    if argv[0] == "make-cnn14":
        seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 0
        generator = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)
        net = networks.Cnn14()
        with torch.no_grad():
            networks.randomise_batch_norms(net, generator)
        state = collections.OrderedDict((k, torch.zeros(shape)) for k, shape in networks.FRONT_END_KEYS.items())
        state.update(net.state_dict())
        torch.save({"iteration": 0, "model": state}, argv[1])
        return
    model_name, checkpoint, wave, out = argv[1:5]
    classes = [int(c) for c in argv[argv.index("--classes") + 1].split(",")] if "--classes" in argv else []
    net, front = load(model_name, checkpoint)
    samples = torch.from_numpy(np.fromfile(wave, dtype="<f4").copy())
    mel = front(samples)
    logits, cams = grad_cam(net, mel, classes)
    with open(out, "w") as f:
        json.dump({"logits": logits.tolist(), "frames": mel.shape[1], "classes": classes, "cams": cams}, f)


if __name__ == "__main__":
    main(sys.argv[1:])
