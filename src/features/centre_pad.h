#pragma once
// The padding torch.stft(center=True, pad_mode='reflect') puts around a signal
// so that frame t is centred on sample t * hop.
#include <span>
#include <vector>

namespace soundlens::features {

// Returns pad + n + pad samples: the signal with `pad` samples mirrored on
// each side, the edge sample not repeated (numpy/torch 'reflect').
//
// torch refuses signals with n <= pad; soundlens must still analyse them
// (0.1 s clips, and a single sample must not crash), so:
//  - n > pad: exactly torch's reflect padding;
//  - 2 <= n <= pad: the reflection is continued by reflecting again at each
//    end (the signal is extended as if periodic with period 2(n - 1)), which
//    agrees with torch wherever torch is defined and stays continuous;
//  - n <= 1: there is nothing to mirror, so the pad is zeros.
std::vector<double> reflect_pad(std::span<const double> signal, int pad);

}  // namespace soundlens::features
