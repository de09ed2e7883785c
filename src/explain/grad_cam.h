#pragma once
// Explain stage: Grad-CAM (Selvaraju et al. 2017) on the model's last conv
// block, from the feature maps of one backbone pass. Kept for the analyzer
// until it moves to explanation_method("gradcam"), which computes the same.
#include <span>
#include <vector>

#include "explain/cam_grid.h"
#include "explain/stitch_cam.h"
#include "model/model.h"

namespace soundlens {

// For each class: one grid per window of the pass, ReLU(sum_k w_k A_k), not
// normalised. The score differentiated is the class logit; channel weights
// are the spatial mean of its gradient.
std::vector<std::vector<CamGrid>> grad_cam(const ForwardPass& pass, std::span<const int> classes);

}  // namespace soundlens
