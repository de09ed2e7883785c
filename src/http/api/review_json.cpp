#include "http/api/review_json.h"

#include <cmath>
#include <map>

#include "analysis_events/analysis_events.h"
#include "events/thresholds.h"

namespace soundlens::http {
namespace {

nlohmann::json or_null(const std::optional<double>& value) {
  return value ? nlohmann::json(std::round(*value * 1e3) / 1e3) : nlohmann::json();
}

std::vector<EventCount> detected_counts(const nlohmann::json& analysis) {
  std::vector<EventCount> out;
  const auto counts = analysis.find("event_counts");
  if (counts == analysis.end() || !counts->is_array()) return out;
  for (const auto& c : *counts)
    // Already reviewed JSON keeps the detector's count in `detected`.
    out.push_back({c.value("index", 0), c.value("label", ""), c.value("detected", c.value("count", 0)), 0.0});
  return out;
}

// Class index -> its calibrated detection threshold for the analysis' model (none for a model without a table).
std::map<int, double> calibrated_thresholds(const nlohmann::json& analysis) {
  std::map<int, double> out;
  const auto model = analysis.find("model");
  if (model == analysis.end() || !model->is_string()) return out;
  for (const auto& rule : model_class_rules(model->get<std::string>())) out[rule.index] = rule.threshold;
  return out;
}

}  // namespace

std::vector<EventReview> event_reviews(const std::vector<EventReviewRecord>& records, std::size_t events) {
  std::vector<EventReview> out(events);
  for (const auto& r : records) {
    if (r.event_index < 0 || std::size_t(r.event_index) >= events) continue;
    out[std::size_t(r.event_index)] = {r.status, r.label_index, r.label, r.onset_s, r.offset_s};
  }
  return out;
}

nlohmann::json review_json(const EventReviewRecord& r) {
  return {{"status", r.status},
          {"index", r.label_index ? nlohmann::json(*r.label_index) : nlohmann::json()},
          {"label", r.label_index ? nlohmann::json(r.label) : nlohmann::json()},
          {"onset_s", or_null(r.onset_s)},
          {"offset_s", or_null(r.offset_s)},
          {"reviewer", r.reviewed_at.empty() ? nlohmann::json() : nlohmann::json(r.reviewer_name)},
          {"reviewed_at", r.reviewed_at.empty() ? nlohmann::json() : nlohmann::json(r.reviewed_at)}};
}

nlohmann::json reviewed_counts_json(const nlohmann::json& analysis, const std::vector<EventReviewRecord>& records,
                                    double other_threshold) {
  const auto calibrated = calibrated_thresholds(analysis);
  const auto events = events_from_json(analysis);
  const auto reviews = event_reviews(records, events.size());
  const double duration_s = analysis.contains("duration_s") && analysis["duration_s"].is_number()
                                ? analysis["duration_s"].get<double>()
                                : 0.0;
  auto out = nlohmann::json::array();
  for (const auto& c : reviewed_counts(events, reviews, detected_counts(analysis), duration_s))
    out.push_back({{"index", c.index},
                   {"label", c.label},
                   {"count", c.count},
                   {"per_hour", std::round(c.per_hour * 1e2) / 1e2},
                   {"detected", c.detected},
                   {"confirmed", c.confirmed},
                   {"rejected", c.rejected},
                   {"unreviewed", c.unreviewed},
                   {"threshold", calibrated.contains(c.index) ? calibrated.at(c.index) : other_threshold}});
  return out;
}

void add_reviews(nlohmann::json& analysis, const std::vector<EventReviewRecord>& records, double other_threshold) {
  const auto events = analysis.find("events");
  if (events == analysis.end() || !events->is_array()) return;
  std::vector<EventReviewRecord> by_index(events->size());
  for (std::size_t i = 0; i < by_index.size(); ++i) by_index[i].event_index = int(i);
  for (const auto& r : records)
    if (r.event_index >= 0 && std::size_t(r.event_index) < by_index.size()) by_index[std::size_t(r.event_index)] = r;
  for (std::size_t i = 0; i < by_index.size(); ++i) (*events)[i]["review"] = review_json(by_index[i]);
  analysis["event_counts"] = reviewed_counts_json(analysis, records, other_threshold);
}

}  // namespace soundlens::http
