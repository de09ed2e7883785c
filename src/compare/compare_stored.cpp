#include "compare/compare_stored.h"

#include <algorithm>
#include <limits>

#include "analysis_events/analysis_events.h"
#include "analysis_events/report_input.h"
#include "core/error.h"

namespace soundlens {
namespace {

Prediction prediction_from_json(const nlohmann::json& p) {
  if (!p.is_object() || !p.contains("index") || !p["index"].is_number_integer())
    throw Error(ErrorCode::bad_request, "a stored prediction has no class index");
  Prediction out;
  out.index = p["index"].get<int>();
  out.label = p.value("label", "");
  const auto probability = p.find("probability");
  out.probability = probability != p.end() && probability->is_number() ? probability->get<float>()
                                                                        : std::numeric_limits<float>::quiet_NaN();
  return out;
}

}  // namespace

StoredRun stored_run_from_json(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("model") || !j["model"].is_string() || !j.contains("predictions") ||
      !j["predictions"].is_array())
    throw Error(ErrorCode::bad_request, "a stored analysis lacks its model or predictions");
  StoredRun run;
  Analysis& a = run.analysis;
  a.model = j["model"].get<std::string>();
  a.duration_s = j.value("duration_s", 0.0);
  for (const auto& p : j["predictions"]) a.predictions.push_back(prediction_from_json(p));
  int classes = 0;
  for (const auto& p : a.predictions) {
    if (p.index < 0 || p.index > 100000) throw Error(ErrorCode::bad_request, "a stored class index is out of range");
    classes = std::max(classes, p.index + 1);
  }
  a.probabilities.assign(std::size_t(classes), std::numeric_limits<float>::quiet_NaN());
  for (const auto& p : a.predictions) a.probabilities[std::size_t(p.index)] = p.probability;
  if (const auto e = j.find("explanations"); e != j.end() && e->is_array()) {
    for (const auto& item : *e) {
      Explanation x;
      x.target = prediction_from_json(item);
      if (const auto c = item.find("contrast"); c != item.end() && c->is_object()) x.contrast = prediction_from_json(*c);
      x.cam = cam_from_json(item);
      a.explanations.push_back(std::move(x));
    }
  }
  run.events = events_from_json(j);
  return run;
}

Comparison compare_stored(const nlohmann::json& first, const nlohmann::json& second, const CompareOptions& options) {
  const StoredRun a = stored_run_from_json(first), b = stored_run_from_json(second);
  return compare_runs({a.analysis.model, &a.analysis, &a.events}, {b.analysis.model, &b.analysis, &b.events}, options);
}

}  // namespace soundlens
