#pragma once
// The explanation methods' names, in the registry's order, without Torch: the
// option table lists them (and its fuzzer links no model). The registry
// (explanation_method.h) holds exactly these methods, in this order.
#include <string>
#include <vector>

namespace soundlens {

// gradcam, gradcam++, layercam, integrated-gradients, occlusion.
std::vector<std::string> explanation_method_names();

}  // namespace soundlens
