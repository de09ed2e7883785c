#include "http/api/explain_budget.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "analysis/explanation_cost.h"
#include "core/error.h"

namespace soundlens::http {
namespace {

std::string grouped(double value) {
  std::string digits = std::to_string(std::llround(value));
  for (int at = int(digits.size()) - 3; at > 0; at -= 3) digits.insert(std::size_t(at), ",");
  return digits;
}

}  // namespace

bool within_explain_budget(const ServiceState& state, const Analyzer& analyzer, double duration_s,
                           const AnalysisOptions& o, bool listen_check) {
  return explanation_cost(analyzer.model(), duration_s, o, listen_check).network_s() <= state.config.explain_budget_s;
}

void check_explain_budget(const ServiceState& state, const Analyzer& analyzer, double duration_s,
                          const AnalysisOptions& o, bool listen_check) {
  const ExplanationCost cost = explanation_cost(analyzer.model(), duration_s, o, listen_check);
  const double budget = state.config.explain_budget_s;
  if (cost.network_s() <= budget) return;
  char recording[160];
  std::snprintf(recording, sizeof recording, "this %.0f s recording (%zu window%s of %g s, %s passes each%s)",
                duration_s, cost.windows, cost.windows == 1 ? "" : "s", cost.window_s,
                grouped(cost.passes_per_window).c_str(),
                o.faithfulness || o.sanity ? ", with the faithfulness or sanity check" : "");
  throw Error(ErrorCode::too_long,
              o.method + " on " + recording + " would need about " + grouped(cost.network_s()) +
                  " s of audio through the network; the limit for one explanation is " + grouped(budget) +
                  " (--explain-budget-s): choose gradcam, gradcam++ or layercam (a few passes per window), "
                  "or a shorter recording");
}

}  // namespace soundlens::http
