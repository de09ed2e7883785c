"""Reference networks for soundlens' parity tests, written from the papers
(MobileNetV3: Howard et al. 2019, as adapted to audio by EfficientAT,
Schmid et al. 2023; CNN14: Kong et al. 2020) as ordinary torch.nn modules with
unfused batch norm, so that the C++ port (fused, functional) is checked
against independent arithmetic. Parameter names follow the published
checkpoints so that their state dicts load unchanged."""
import torch
from torch import nn
import torch.nn.functional as F


def make_divisible(v, divisor=8):
    rounded = max(divisor, int(v + divisor / 2) // divisor * divisor)
    if rounded < 0.9 * v:
        rounded += divisor
    return rounded


# MobileNetV3-Large bottlenecks: kernel, expanded, out, squeeze-excite, hard-swish, stride.
BOTTLENECKS = [
    (3, 16, 16, False, False, 1), (3, 64, 24, False, False, 2), (3, 72, 24, False, False, 1),
    (5, 72, 40, True, False, 2), (5, 120, 40, True, False, 1), (5, 120, 40, True, False, 1),
    (3, 240, 80, False, True, 2), (3, 200, 80, False, True, 1), (3, 184, 80, False, True, 1),
    (3, 184, 80, False, True, 1), (3, 480, 112, True, True, 1), (3, 672, 112, True, True, 1),
    (5, 672, 160, True, True, 2), (5, 960, 160, True, True, 1), (5, 960, 160, True, True, 1),
]


def conv_bn(cin, cout, k, stride=1, groups=1, act=None):
    layers = [nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False),
              nn.BatchNorm2d(cout, eps=0.001)]
    if act is not None:
        layers.append(act())
    return nn.Sequential(*layers)


class SE(nn.Module):
    def __init__(self, channels):
        super().__init__()
        squeeze = make_divisible(channels // 4, 8)
        self.fc1 = nn.Linear(channels, squeeze)
        self.fc2 = nn.Linear(squeeze, channels)

    def forward(self, x):
        s = x.mean(dim=(2, 3))
        s = torch.sigmoid(self.fc2(F.relu(self.fc1(s))))
        return x * s[:, :, None, None]


class SEHolder(nn.Module):
    """EfficientAT keeps its channel SE in a list of concurrent SE layers."""
    def __init__(self, channels):
        super().__init__()
        self.conc_se_layers = nn.ModuleList([SE(channels)])

    def forward(self, x):
        return self.conc_se_layers[0](x)


class Bottleneck(nn.Module):
    def __init__(self, cin, k, exp, cout, se, hs, stride):
        super().__init__()
        act = nn.Hardswish if hs else nn.ReLU
        layers = []
        if exp != cin:
            layers.append(conv_bn(cin, exp, 1, act=act))
        layers.append(conv_bn(exp, exp, k, stride, groups=exp, act=act))
        if se:
            layers.append(SEHolder(exp))
        layers.append(conv_bn(exp, cout, 1))
        self.block = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.block(x)
        return y + x if self.residual else y


class MobileNetV3Audio(nn.Module):
    def __init__(self, width, classes=527):
        super().__init__()
        ch = lambda c: make_divisible(c * width)
        layers = [conv_bn(1, ch(16), 3, 2, act=nn.Hardswish)]
        cin = ch(16)
        for k, exp, out, se, hs, stride in BOTTLENECKS:
            layers.append(Bottleneck(cin, k, ch(exp), ch(out), se, hs, stride))
            cin = ch(out)
        layers.append(conv_bn(cin, 6 * cin, 1, act=nn.Hardswish))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(6 * cin, ch(1280)), nn.Hardswish(),
            nn.Dropout(0.2), nn.Linear(ch(1280), classes))

    def forward(self, mel):
        """mel: (batch, mels, frames) -> logits, last conv block's output."""
        maps = self.features(mel.unsqueeze(1))
        return self.classifier(maps), maps


class ConvBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, 1, 1, bias=False)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.bn2 = nn.BatchNorm2d(cout)

    def forward(self, x, pool):
        x = F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))
        return F.avg_pool2d(x, pool)


class Cnn14(nn.Module):
    def __init__(self, classes=527):
        super().__init__()
        self.bn0 = nn.BatchNorm2d(64)
        widths = [1, 64, 128, 256, 512, 1024, 2048]
        for i in range(6):
            setattr(self, f"conv_block{i + 1}", ConvBlock(widths[i], widths[i + 1]))
        self.fc1 = nn.Linear(2048, 2048)
        self.fc_audioset = nn.Linear(2048, classes)

    def forward(self, mel):
        """mel: (batch, 64, frames) -> logits, conv_block6 output as (batch, C, freq, time)."""
        x = mel.transpose(1, 2).unsqueeze(1)  # (batch, 1, time, mel)
        # bn0 (eval mode) written out as its per-mel-bin affine map: through
        # BatchNorm2d on this transposed layout, Debian's torch 1.13 returns
        # wrong input gradients once a convolution follows (measured against
        # central differences in float64: 40.95 vs -37.98 along a random
        # direction), which made the integrated-gradients reference disagree
        # with its own logits by 16% on random CNN14 weights. Forward values are
        # the same to 1e-14.
        bn = self.bn0
        scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
        x = x * scale + (bn.bias - bn.running_mean * scale)
        for i in range(6):
            x = getattr(self, f"conv_block{i + 1}")(x, (2, 2) if i < 5 else (1, 1))
        maps = x.transpose(2, 3)  # (batch, C, freq, time), the orientation of the explanation
        x = maps.mean(dim=2)  # over frequency
        x = x.max(dim=2)[0] + x.mean(dim=2)
        logits = self.fc_audioset(F.relu(self.fc1(x)))
        return logits, maps


# The official CNN14 checkpoint also carries its STFT and mel kernels (the front
# end soundlens computes itself); test checkpoints include them for the layout.
FRONT_END_KEYS = {
    "spectrogram_extractor.stft.conv_real.weight": (513, 1, 1024),
    "spectrogram_extractor.stft.conv_imag.weight": (513, 1, 1024),
    "logmel_extractor.melW": (513, 64),
}


def randomise_batch_norms(model, generator):
    """Random running statistics, so that parity tests exercise the BN folding."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n, generator=generator) * 0.1)
            m.running_var.copy_(torch.rand(n, generator=generator) + 0.5)
            m.weight.data.copy_(torch.rand(n, generator=generator) + 0.5)
            m.bias.data.copy_(torch.randn(n, generator=generator) * 0.1)
