#include "http/api/report_explanations.h"

#include "explain/method_names.h"
#include "http/api/explanation_key.h"

namespace soundlens::http {

namespace {

// Every cached variant of one class's explanation whose key continues with `extra` (an event's part, or
// nothing), merged per method into `out`.
void add_cached_variants(ServiceState& state, const StoredAnalysis& stored, int index, const std::string& extra,
                         const std::string& model, ComputedExplanations& out) {
  for (const auto& method : explanation_method_names()) {
    nlohmann::json merged;
    for (const bool faithfulness : {true, false})
      for (const bool sanity : {true, false})
        for (const bool listen : {false, true}) {
          AnalysisOptions o;
          o.method = method;
          o.faithfulness = faithfulness;
          o.sanity = sanity;
          const std::string key = explanation_key("explanation", index, o) + extra +
                                  (model.empty() ? "" : "-" + model) + (listen ? "-l" : "") + ".json";
          const auto cached = state.store->read_cache(stored.id, key);
          if (!cached) continue;
          auto e = nlohmann::json::parse(cached->begin(), cached->end(), nullptr, false);
          if (!e.is_object() || e.value("index", -1) != index || !e.contains("map")) continue;  // not one to draw
          out.keys.push_back(key);
          if (merged.is_null()) {
            merged = std::move(e);
            continue;
          }
          for (const char* check : {"faithfulness", "sanity", "listen"})
            if (!merged.contains(check) && e.contains(check)) merged[check] = e[check];
        }
    if (!merged.is_null()) out.explanations.push_back(std::move(merged));
  }
}

}  // namespace

ComputedExplanations computed_explanations(ServiceState& state, const StoredAnalysis& stored, int index) {
  ComputedExplanations out;
  // The maps the report can draw: the analysis' own model's, or a fused analysis' first part's (its figures').
  add_cached_variants(state, stored, index, "", state.map_model(stored, std::nullopt), out);
  return out;
}

ComputedExplanations computed_event_checks(ServiceState& state, const StoredAnalysis& stored,
                                           const std::vector<Event>& as_reviewed) {
  ComputedExplanations out;
  const std::string model = state.map_model(stored, std::nullopt);
  for (std::size_t i = 0; i < as_reviewed.size(); ++i)
    add_cached_variants(state, stored, as_reviewed[i].index, event_key_part(int(i), as_reviewed[i]), model, out);
  return out;
}

}  // namespace soundlens::http
