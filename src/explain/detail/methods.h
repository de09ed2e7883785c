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
// 0 = about 4000 frames per pass (4 inputs of a 10 s window: measured on 2 cores, one class of the 10 s
// example costs 6.2 s of CPU at 4 per pass, 10.9 s at 1, 8.3 s at 32).
std::unique_ptr<ExplanationMethod> make_occlusion(double patch_s = 0.32, int patch_mels = 16, int batch = 0);

}  // namespace soundlens::detail
