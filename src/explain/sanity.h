#pragma once
// The model-parameter randomisation test (Adebayo et al. 2018): a map that
// explains the model must change when the model's weights are destroyed.
// The top layers of a copy are re-initialised in a cascade, the map is
// recomputed after each step and compared with the trained model's map by
// Spearman rank correlation.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "explain/cam_map.h"
#include "explain/map_checks.h"
#include "model/model.h"

namespace soundlens {

// Any explanation method: the map for the same recording and class, computed with the given model.
using MapWithModel = std::function<CamMap(const Model&)>;

inline constexpr std::uint64_t kSanitySeed = 0xadeba4018;
inline constexpr int kSanitySteps = 5;  // mn04_as: classifier, features.16 ... features.13

// Runs compute_map on the trained model, then on randomised copies with 1 ..
// steps cascade steps (capped at the cascade's length). The trained model
// is only read. Throws Error(internal) when a map's size changes.
SanityCheck sanity_check(const Model& model, const MapWithModel& compute_map, int steps = kSanitySteps,
                         std::uint64_t seed = kSanitySeed);

// Spearman's rank correlation with average ranks for ties; 0 when either side
// is constant (no ranking to agree with).
double spearman(std::span<const float> a, std::span<const float> b);

}  // namespace soundlens
