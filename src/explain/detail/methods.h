#pragma once
// Internal: the methods, for the registry and for tests that change their settings.
#include <memory>

#include "explain/explanation_method.h"

namespace soundlens::detail {

std::unique_ptr<ExplanationMethod> make_grad_cam();
std::unique_ptr<ExplanationMethod> make_grad_cam_plus_plus();
std::unique_ptr<ExplanationMethod> make_layer_cam();
// steps: intervals on the path from the baseline (trapezoid rule, steps + 1 points), doubled while the
// completeness error exceeds target_error, up to max_steps; batch: points per pass, 0 = about 3000 frames
// per pass (3 points of a 10 s window: measured on 2 cores, 3 points per pass cost 612 ms CPU for 32 steps,
// 1 point 849 ms, 11 points 753 ms, 33 points 771 ms).
std::unique_ptr<ExplanationMethod> make_integrated_gradients(int steps = 32, int batch = 0, int max_steps = 256,
                                                             double target_error = 0.01);
// A patch of patch_s seconds by patch_mels mel bins, moved by half a patch; batch: occluded inputs per pass,
// 0 = about 8000 frames per pass (8 inputs of a 10 s window: measured on 2 cores at load 6 with the local
// prefix, one class of the 10 s example costs 3.2 s of CPU at 8 per pass, 3.8 s at 4, 3.3 s at 16; before
// the prefix, 6.2 s at 4, 10.9 s at 1, 8.3 s at 32).
// local: the network's local first stages run only around each patch (detail/occluded_logits.h); false
// runs every stage on the whole occluded input (what tests compare with).
std::unique_ptr<ExplanationMethod> make_occlusion(double patch_s = 0.32, int patch_mels = 16, int batch = 0,
                                                  bool local = true);

}  // namespace soundlens::detail
