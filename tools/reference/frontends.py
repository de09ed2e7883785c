"""Reference implementations of the two soundlens front ends, in PyTorch.

These restate, from the published recipes, what each model computed at
training time; they exist so the C++ front ends can be checked against
independent float32 PyTorch arithmetic. Run with Debian's /usr/bin/python3
(torch 1.13, torchaudio 0.13; no librosa needed).

Every function takes a dtype. float32 is what the models ran in training;
float64 gives the exact front end. They differ by up to ~2e-4 on quiet mel
bins next to loud ones (float32 FFT round-off leaks into bins far below the
frame's peak), which is why the C++ front ends, computed in double, are held
to the float64 results at 1e-4 and the float32 ones are only reported.
"""
import contextlib
import math

import numpy as np
import torch
import torchaudio

SAMPLE_RATE = 32000
N_FFT = 1024
HOP = 320


@contextlib.contextmanager
def default_dtype(dtype):
    """get_mel_banks builds its tensors in torch's default dtype."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        yield
    finally:
        torch.set_default_dtype(previous)


def efficientat_mel_banks(n_mels=128, dtype=torch.float32):
    """Kaldi banks as EfficientAT builds them in eval mode: fmin 0, fmax 15000
    (sr/2 - fmax_aug_range/2), no VTLN warp, plus a zero column for Nyquist."""
    with default_dtype(dtype):
        banks, centres = torchaudio.compliance.kaldi.get_mel_banks(
            n_mels, N_FFT, SAMPLE_RATE, 0.0, SAMPLE_RATE // 2 - 1000,
            vtln_low=100.0, vtln_high=-500.0, vtln_warp_factor=1.0)
    banks = torch.nn.functional.pad(banks, (0, 1), mode="constant", value=0.0)
    return banks, centres


def efficientat(samples, n_mels=128, dtype=torch.float32):
    """samples: 1-D float32 tensor at 32 kHz -> (n_mels, frames)."""
    x = samples.reshape(1, -1).to(dtype)
    # Pre-emphasis as a valid conv1d, output one sample shorter. The model
    # holds the kernel in float32, so even the float64 run uses that -0.97.
    kernel = torch.as_tensor([[[-0.97, 1.0]]], dtype=torch.float32).to(dtype)
    x = torch.nn.functional.conv1d(x.unsqueeze(1), kernel).squeeze(1)
    window = torch.hann_window(800, periodic=False, dtype=dtype)
    spec = torch.stft(x, N_FFT, hop_length=HOP, win_length=800, window=window,
                      center=True, pad_mode="reflect", normalized=False, return_complex=False)
    power = (spec ** 2).sum(dim=-1)
    banks, _ = efficientat_mel_banks(n_mels, dtype)
    mel = torch.matmul(banks, power)
    mel = (mel + 1e-5).log()
    return ((mel + 4.5) / 5.0)[0]


# Slaney's auditory-toolbox mel scale (librosa htk=False): linear below 1 kHz
# at 200/3 Hz per mel, logarithmic above with 27 mels per factor 6.4.
_F_SP = 200.0 / 3.0
_BREAK_HZ = 1000.0
_BREAK_MEL = _BREAK_HZ / _F_SP
_LOGSTEP = math.log(6.4) / 27.0


def slaney_hz_to_mel(hz):
    hz = np.asarray(hz, dtype=np.float64)
    lin = hz / _F_SP
    with np.errstate(divide="ignore"):
        log = _BREAK_MEL + np.log(np.maximum(hz, 1e-300) / _BREAK_HZ) / _LOGSTEP
    return np.where(hz >= _BREAK_HZ, log, lin)


def slaney_mel_to_hz(mel):
    mel = np.asarray(mel, dtype=np.float64)
    lin = _F_SP * mel
    log = _BREAK_HZ * np.exp(_LOGSTEP * (mel - _BREAK_MEL))
    return np.where(mel >= _BREAK_MEL, log, lin)


def slaney_mel_banks(n_mels=64, fmin=50.0, fmax=14000.0):
    """(n_mels, n_fft/2+1) float32 and the centres in Hz: triangles between
    mel-spaced edges, each scaled by 2 / (right - left) (equal area), as
    librosa.filters.mel does by default."""
    fft_hz = np.linspace(0.0, SAMPLE_RATE / 2, N_FFT // 2 + 1)
    edges = slaney_mel_to_hz(np.linspace(slaney_hz_to_mel(fmin), slaney_hz_to_mel(fmax), n_mels + 2))
    banks = np.zeros((n_mels, fft_hz.size))
    for m in range(n_mels):
        left, centre, right = edges[m], edges[m + 1], edges[m + 2]
        rising = (fft_hz - left) / (centre - left)
        falling = (right - fft_hz) / (right - centre)
        banks[m] = np.maximum(0.0, np.minimum(rising, falling)) * (2.0 / (right - left))
    return banks.astype(np.float32), edges[1:-1]


def panns(samples, dtype=torch.float32):
    """samples: 1-D float32 tensor at 32 kHz -> (64, frames) log-mel in dB."""
    x = samples.reshape(1, -1).to(dtype)
    window = torch.hann_window(N_FFT, periodic=True, dtype=dtype)  # = scipy get_window('hann', 1024)
    spec = torch.stft(x, N_FFT, hop_length=HOP, win_length=N_FFT, window=window,
                      center=True, pad_mode="reflect", normalized=False, return_complex=False)
    power = (spec ** 2).sum(dim=-1)[0]  # (bins, frames)
    banks, _ = slaney_mel_banks()  # float32 in both runs: librosa stores them so
    mel = torch.matmul(torch.from_numpy(banks).to(dtype), power)
    return 10.0 * torch.log10(torch.clamp(mel, min=1e-10))
