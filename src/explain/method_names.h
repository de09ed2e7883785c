#pragma once
// The explanation methods' names, in the registry's order, without Torch: the
// option table lists them (and its fuzzer links no model). The registry
// (explanation_method.h) holds exactly these methods, in this order.
#include <string>
#include <vector>

namespace soundlens {

// gradcam, gradcam++, layercam, integrated-gradients, occlusion.
std::vector<std::string> explanation_method_names();

// The method a map is made with when none is asked: the one declaration that the
// CLI's --method, the API's method= (and so /openapi.json and the page), the
// report and AnalysisOptions take their default from. It is the method whose
// maps pass their own checks most often at an interactive cost, measured on
// real clips (docs/explanations-measured.md).
std::string default_explanation_method();

// The version of what an explanation holds: raise it whenever a method's maps, the faithfulness
// score or the listening search change, so that explanations cached under another version are not
// served as today's (the cache keys carry it). 1: before 2026-12-06 (10 deletion steps, soft-mask
// listening; keys without a version); 2: 5 deletion steps, the listening search.
int explanation_version();

}  // namespace soundlens
