#include "service/stored_json.h"

#include <cctype>

#include "analysis_events/analysis_events.h"
#include "core/error.h"
#include "core/json_member.h"

namespace soundlens::service {
using nlohmann::json;

namespace {

void add_identity(json& out, const StoredAnalysis& stored) {
  out["id"] = stored.id;
  out["filename"] = stored.filename;
  out["created_at"] = stored.created_at;
  out["audio_url"] = "/api/v1/analyses/" + stored.id + "/audio";
  out["audio_content_type"] = stored.content_type;
  out["audio_bytes"] = stored.audio_bytes;
  out["note"] = stored.note;
  out["labels"] = stored.labels;
}

// "|47|cough|0|speech|": the classes of the predictions and the events.
std::string classes_key(const json& result) {
  std::string key = "|";
  const auto add = [&](const json& list) {
    if (!list.is_array()) return;
    for (const auto& item : list) {
      if (!item.is_object()) continue;
      if (auto i = item.find("index"); i != item.end() && i->is_number_integer())
        key += std::to_string(i->get<int>()) + "|";
      if (auto l = item.find("label"); l != item.end() && l->is_string()) {
        std::string name = l->get<std::string>();
        for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
        key += name + "|";
      }
    }
  };
  if (auto it = result.find("predictions"); it != result.end()) add(*it);
  if (auto it = result.find("events"); it != result.end()) add(*it);
  return key == "|" ? "" : key;
}

}  // namespace

json stored_analysis_json(const StoredAnalysis& stored) {
  return stored_analysis_json(stored, json::parse(stored.result_json));
}

json stored_analysis_json(const StoredAnalysis& stored, json result) {
  add_identity(result, stored);
  return result;
}

json stored_summary_json(const StoredAnalysis& stored) {
  json out = json::object();
  add_identity(out, stored);
  out["model"] = stored.model;
  // From the summary columns: the full result is neither read nor parsed.
  if (stored.duration_s) out["duration_s"] = *stored.duration_s;
  auto predictions = json::parse(stored.predictions_json, nullptr, false);
  if (predictions.is_array()) out["predictions"] = std::move(predictions);
  return out;
}

void add_summary(NewAnalysis& record, const json& result) {
  if (auto it = result.find("duration_s"); it != result.end() && it->is_number()) record.duration_s = it->get<double>();
  if (auto it = result.find("predictions"); it != result.end()) record.predictions_json = it->dump();
  record.classes = classes_key(result);
}

std::vector<Event> stored_events(const StoredAnalysis& stored) {
  // Only the events' text is parsed (an hour's maps and timeline are most of the megabytes); a result
  // without them is parsed whole, to tell an analysis with no events from a damaged one.
  const auto text = top_level_member(stored.result_json, "events");
  json result = text ? json{{"events", json::parse(*text, nullptr, false)}}
                     : json::parse(stored.result_json, nullptr, false);
  if (result.is_discarded() || (text && result["events"].is_discarded()))
    throw Error(ErrorCode::internal, "the stored result of " + stored.id + " is not JSON");
  return events_from_json(result);
}

AnalysisOptions stored_options(const StoredAnalysis& stored, const AnalysisLimits& limits) {
  AnalysisOptions options;
  options.limits = limits;
  const json p = json::parse(stored.parameters_json, nullptr, false);
  if (p.is_discarded()) return options;
  options.top_k = p.value("top_k", options.top_k);
  options.window_s = p.value("window_s", options.window_s);
  options.hop_s = p.value("hop_s", options.hop_s);
  if (p.contains("classes") && p["classes"].is_array())
    for (const auto& c : p["classes"])
      if (c.is_string()) options.classes.push_back(c.get<std::string>());
  return options;
}

AnalysisEventOptions stored_event_options(const StoredAnalysis& stored) {
  AnalysisEventOptions events;
  const json p = json::parse(stored.parameters_json, nullptr, false);
  if (p.is_discarded() || !p.is_object()) return events;
  events.window_s = p.value("event_window_s", events.window_s);
  events.hop_s = p.value("event_hop_s", events.hop_s);
  events.detect.window_high = p.value("event_threshold", events.detect.window_high);
  events.detect.window_low = p.value("event_threshold_low", events.detect.window_low);
  events.detect.min_duration_s = p.value("event_min_duration_s", events.detect.min_duration_s);
  events.detect.merge_gap_s = p.value("event_merge_gap_s", events.detect.merge_gap_s);
  return events;
}

json options_json(const AnalysisOptions& options, const AnalysisEventOptions& events) {
  return {{"top_k", options.top_k},
          {"classes", options.classes},
          {"window_s", options.window_s},
          {"hop_s", options.hop_s},
          {"method", options.method},
          {"contrast", options.contrast},
          {"faithfulness", options.faithfulness},
          {"sanity", options.sanity},
          {"event_window_s", events.window_s},
          {"event_hop_s", events.hop_s},
          {"event_threshold", events.detect.window_high},
          {"event_threshold_low", events.detect.window_low},
          {"event_min_duration_s", events.detect.min_duration_s},
          {"event_merge_gap_s", events.detect.merge_gap_s}};
}

int stored_top_class(const StoredAnalysis& stored) { return stored.top_class; }

}  // namespace soundlens::service
