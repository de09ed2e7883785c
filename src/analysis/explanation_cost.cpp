#include "analysis/explanation_cost.h"

#include <algorithm>
#include <cmath>

#include "analysis/analyzer_parts.h"
#include "analysis/windowing.h"
#include "explain/explanation_method.h"
#include "explain/listen_search.h"

namespace soundlens {

using namespace analysis_detail;

ExplanationCost explanation_cost(const Model& model, double duration_s, const AnalysisOptions& o, bool listen_check) {
  const ExplanationMethod& method = explanation_method(o.method);
  const auto& fe = model.frontend();
  constexpr double kRate = 32000;  // the rate windows are planned at (analysis input)
  const double win_s = window_s(model, o), step_s = hop_s(model, o);
  ExplanationCost cost;
  cost.windows = plan_windows(std::size_t(std::max(0.0, duration_s) * kRate), std::size_t(std::lround(win_s * kRate)),
                              std::size_t(std::lround(step_s * kRate)))
                     .size();
  cost.window_s = std::min(win_s, std::max(duration_s, 0.0));
  MelSpectrogram like;
  like.n_mels = fe.n_mels();
  like.seconds_per_frame = double(fe.hop_length()) / fe.sample_rate();
  like.n_frames = std::max(model.info().min_frames, int(cost.window_s / like.seconds_per_frame) + 1);
  cost.method_passes = method.passes_per_window(like);
  const double run = 1 + cost.method_passes;  // the windows' pass, then the method
  // Sanity recomputes the map on the trained model and on each randomised copy.
  cost.passes_per_window = run * (o.sanity ? 1 + kSanitySteps : 1) +
                           (o.faithfulness ? kFaithfulnessMaxVariants : 0) + (listen_check ? kListenSearchMaxPasses : 0);
  return cost;
}

}  // namespace soundlens
