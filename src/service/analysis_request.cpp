#include "service/analysis_request.h"

#include "core/error.h"

namespace soundlens::service {
namespace {

using nlohmann::json;

[[noreturn]] void bad_field(const std::string& name, const std::string& why) {
  throw Error(ErrorCode::bad_request, "the job's stored parameter " + name + " " + why);
}

// A field of a stored object, of the type the request has there; absent: the fallback.
template <typename T>
T field(const json& object, const std::string& section, const std::string& name, T fallback) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) return fallback;
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    bad_field(section.empty() ? name : section + "." + name, "has the wrong type (" + std::string(it->type_name()) + ")");
  }
}

const json& section(const json& stored, const std::string& name) {
  static const json empty = json::object();
  const auto it = stored.find(name);
  if (it == stored.end()) return empty;
  if (!it->is_object()) bad_field(name, "is not an object");
  return *it;
}

AnalysisOptions options_from_json(const json& o) {
  AnalysisOptions options;
  options.top_k = field(o, "options", "top_k", options.top_k);
  options.classes = field(o, "options", "classes", options.classes);
  options.window_s = field(o, "options", "window_s", options.window_s);
  options.hop_s = field(o, "options", "hop_s", options.hop_s);
  options.method = field(o, "options", "method", options.method);
  options.contrast = field(o, "options", "contrast", options.contrast);
  options.faithfulness = field(o, "options", "faithfulness", options.faithfulness);
  options.sanity = field(o, "options", "sanity", options.sanity);
  validate_options(options);  // the declared ranges, as when it was submitted
  return options;
}

AnalysisEventOptions events_from_json(const json& e) {
  AnalysisEventOptions events;
  events.window_s = field(e, "events", "window_s", events.window_s);
  events.hop_s = field(e, "events", "hop_s", events.hop_s);
  events.detect.window_high = field(e, "events", "threshold", events.detect.window_high);
  events.detect.window_low = field(e, "events", "threshold_low", events.detect.window_low);
  events.detect.min_duration_s = field(e, "events", "min_duration_s", events.detect.min_duration_s);
  events.detect.merge_gap_s = field(e, "events", "merge_gap_s", events.detect.merge_gap_s);
  validate_event_options(events);  // the rules between them, as when it was submitted
  return events;
}

PromisedPrivacy privacy_from_json(const json& p) {
  PromisedPrivacy privacy;
  privacy.store_audio = field(p, "privacy", "store_audio", privacy.store_audio);
  if (p.contains("redact_speech_threshold") && !p["redact_speech_threshold"].is_null()) {
    const double threshold = field(p, "privacy", "redact_speech_threshold", 0.0);
    if (!(threshold > 0 && threshold <= 1)) bad_field("privacy.redact_speech_threshold", "is not in (0, 1]");
    privacy.redact = RedactionOptions{.threshold = threshold};
  }
  return privacy;
}

// Jobs queued before the typed request: the upload's form fields as strings, read
// by the same declarations as an upload's.
AnalysisRequest from_form_fields(const json& fields) {
  return read_analysis_request([&](const std::string& name) -> std::optional<std::string> {
    const auto it = fields.find(name);
    if (it == fields.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  });
}

// A comparison's request (with "models", the two models in order) is version 3: an older soundlens refuses
// it rather than run one analysis of it. One analysis' request stays kAnalysisRequestVersion (2), so an
// older worker still runs it.
constexpr int kComparisonRequestVersion = 3;

}  // namespace

AnalysisRequest read_analysis_request(const ValueLookup& lookup) {
  AnalysisRequest request;
  request.model = lookup("model").value_or("");
  request.options = analysis_options(parameter_values(analysis_parameters(), lookup));
  request.events = event_options(parameter_values(event_parameters(), lookup));
  return request;
}

json analysis_request_json(const AnalysisRequest& request) {
  const AnalysisOptions& o = request.options;
  const AnalysisEventOptions& e = request.events;
  json out = {{"version", request.models.empty() ? kAnalysisRequestVersion : kComparisonRequestVersion},
          {"model", request.model},
          {"options",
           {{"top_k", o.top_k},
            {"classes", o.classes},
            {"window_s", o.window_s},
            {"hop_s", o.hop_s},
            {"method", o.method},
            {"contrast", o.contrast},
            {"faithfulness", o.faithfulness},
            {"sanity", o.sanity}}},
          {"events",
           {{"window_s", e.window_s},
            {"hop_s", e.hop_s},
            {"threshold", e.detect.window_high},
            {"threshold_low", e.detect.window_low},
            {"min_duration_s", e.detect.min_duration_s},
            {"merge_gap_s", e.detect.merge_gap_s}}},
          {"privacy",
           {{"store_audio", request.privacy.store_audio},
            {"redact_speech_threshold",
             request.privacy.redact ? json(request.privacy.redact->threshold) : json(nullptr)}}}};
  if (!request.models.empty()) out["models"] = request.models;
  return out;
}

AnalysisRequest analysis_request_from_json(const std::string& text) {
  const json stored = json::parse(text, nullptr, false);
  if (stored.is_discarded() || !stored.is_object())
    throw Error(ErrorCode::bad_request, "the job's stored parameters are not a JSON object");
  const auto version = stored.find("version");
  if (version == stored.end() || version->is_string()) return from_form_fields(stored);  // a field named version
  if (!version->is_number_integer() || version->get<int>() < 1 || version->get<int>() > kComparisonRequestVersion)
    throw Error(ErrorCode::internal, "the job's parameters have version " + version->dump() +
                                         ", which this soundlens does not read (it reads version " +
                                         std::to_string(kComparisonRequestVersion) + "): run it with a newer one");
  AnalysisRequest request;
  request.model = field(stored, "", "model", std::string());
  request.options = options_from_json(section(stored, "options"));
  request.events = events_from_json(section(stored, "events"));
  request.privacy = privacy_from_json(section(stored, "privacy"));
  if (const auto models = stored.find("models"); models != stored.end()) {
    if (!models->is_array() || models->size() != 2 || !(*models)[0].is_string() || !(*models)[1].is_string())
      bad_field("models", "is not a pair of model names");
    request.models = models->get<std::vector<std::string>>();
  }
  return request;
}

}  // namespace soundlens::service
