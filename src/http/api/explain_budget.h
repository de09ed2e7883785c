#pragma once
// The budget of one explanation computed while its client waits
// (--explain-budget-s): its cost is estimated before any work
// (analysis/explanation_cost.h). Internal to http.
#include "http/api/service_state.h"

namespace soundlens::http {

// Whether explaining with `options` fits the budget (listen_check: the listening check runs too).
bool within_explain_budget(const ServiceState& state, const Analyzer& analyzer, double duration_s,
                           const AnalysisOptions& options, bool listen_check = false);

// Error(too_long) naming the method, the estimate and the limit when it does not.
void check_explain_budget(const ServiceState& state, const Analyzer& analyzer, double duration_s,
                          const AnalysisOptions& options, bool listen_check = false);

}  // namespace soundlens::http
