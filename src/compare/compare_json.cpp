#include "compare/compare_json.h"

#include <cmath>

#include "analysis/analysis_json.h"
#include "events/events_json.h"

namespace soundlens {
namespace {

double rounded(double v, double step) { return std::round(v / step) * step; }

nlohmann::json event_json(const Event& e) { return events_to_json({e}).at(0); }

}  // namespace

nlohmann::json agreement_to_json(const Comparison& c) {
  nlohmann::json shared = nlohmann::json::array();
  for (const auto& p : c.top_shared) shared.push_back({{"index", p.index}, {"label", p.label}});
  nlohmann::json top_only = nlohmann::json::object(), events_only = nlohmann::json::object();
  for (std::size_t m = 0; m < c.models.size(); ++m) {
    top_only[c.models[m]] = predictions_to_json(c.top_only.at(m));
    events_only[c.models[m]] = events_to_json(c.events_only.at(m));
  }
  nlohmann::json correlations = nlohmann::json::array();
  for (const auto& r : c.profile_correlation)
    correlations.push_back({{"index", r.index},
                            {"label", r.label},
                            {"pearson", r.pearson ? nlohmann::json(rounded(*r.pearson, 1e-4)) : nlohmann::json()}});
  nlohmann::json both = nlohmann::json::array();
  for (const auto& e : c.events_both) {
    nlohmann::json j = {{"index", e.index}, {"label", e.label}, {"overlap_s", rounded(e.overlap_s, 1e-3)}};
    j[c.models.at(0)] = event_json(e.first);
    j[c.models.at(1)] = event_json(e.second);
    both.push_back(std::move(j));
  }
  return {{"top_shared", shared},
          {"top_only", top_only},
          {"profile_correlation", correlations},
          {"events", {{"both", both}, {"only", events_only}}}};
}

}  // namespace soundlens
