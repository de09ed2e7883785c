#include "events/events_json.h"

#include <cmath>

namespace soundlens {
namespace {

double round_to(double v, double scale) { return std::round(v * scale) / scale; }

}  // namespace

nlohmann::json events_to_json(const std::vector<Event>& events) {
  auto out = nlohmann::json::array();
  for (const auto& e : events) {
    auto alternatives = nlohmann::json::array();
    for (const auto& a : e.alternatives)
      alternatives.push_back({{"index", a.index}, {"label", a.label}, {"probability", round_to(a.probability, 1e4)}});
    auto models = nlohmann::json::array();
    for (const auto& m : e.models) models.push_back({{"model", m.model}, {"probability", round_to(m.probability, 1e4)}, {"supports", m.supports}});
    out.push_back({{"index", e.index},
                   {"label", e.label},
                   {"onset_s", round_to(e.onset_s, 1e3)},
                   {"offset_s", round_to(e.offset_s, 1e3)},
                   {"probability", round_to(e.probability, 1e4)},
                   {"low_hz", round_to(e.low_hz, 10)},
                   {"high_hz", round_to(e.high_hz, 10)},
                   {"alternatives", std::move(alternatives)},
                   {"models", std::move(models)}});
  }
  return out;
}

nlohmann::json event_counts_to_json(const std::vector<EventCount>& counts) {
  auto out = nlohmann::json::array();
  for (const auto& c : counts)
    out.push_back(
        {{"index", c.index}, {"label", c.label}, {"count", c.count}, {"per_hour", round_to(c.per_hour, 1e2)}});
  return out;
}

nlohmann::json quality_to_json(const std::vector<QualityFlag>& flags) {
  auto out = nlohmann::json::array();
  for (const auto& f : flags)
    out.push_back(
        {{"name", f.name}, {"raised", f.raised}, {"value", f.value}, {"unit", f.unit}, {"message", f.message}});
  return out;
}

}  // namespace soundlens
