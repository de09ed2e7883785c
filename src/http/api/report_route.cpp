// GET /api/v1/analyses/{id}/report.pdf: the PDF report, made from the stored
// analysis and audio (cached). With ?classes= (report_classes.h) it is of what
// the page looked at: those classes' figures, one per method the server has
// computed for each, with the checks computed for them (report_explanations.h),
// instead of the analysis' own top classes. It carries the events as reviewed
// and the analysis' note and labels, and the events' own checks the page computed
// (explanation?event=N, from the cache). Nothing is computed again for it but the
// map of a class that has none at all (said so on its figure).
#include <algorithm>
#include <cctype>
#include <functional>

#include "analysis/analysis_json.h"
#include "analysis_events/analysis_events.h"
#include "analysis_events/report_checks.h"
#include "analysis_events/report_input.h"
#include "exports/review.h"
#include "core/error.h"
#include "http/api/cached_result.h"
#include "http/api/explanation_key.h"
#include "http/api/report_classes.h"
#include "http/api/report_explanations.h"
#include "http/api/review_json.h"
#include "http/api/routes.h"
#include "http/server/content_disposition.h"
#include "model/file_sha256.h"

namespace soundlens::http {
namespace {

using nlohmann::json;

constexpr const char* kFromCache = "Computed for this analysis on request (the page's explanation).";
constexpr const char* kFromAnalysis = "The analysis' own map.";
constexpr const char* kForReport =
    "Computed for this report with the default method: this class had no map (the page did not explain it).";

// The analysis' own map of a class (not a contrast; of a fused analysis, the part the figures are drawn by).
std::optional<json> own_explanation(const json& result, int index, const std::string& model) {
  const auto list = result.find("explanations");
  if (list == result.end() || !list->is_array()) return std::nullopt;
  for (const auto& e : *list)
    if (e.value("index", -1) == index && !(e.contains("contrast") && e["contrast"].is_object()) &&
        e.value("model", std::string()) == model)
      return e;
  return std::nullopt;
}

// The classes of the analysis' own maps, in its order: the report's classes when the page names none.
std::vector<int> own_classes(const json& result, const std::string& model) {
  std::vector<int> out;
  const auto list = result.find("explanations");
  if (list == result.end() || !list->is_array()) return out;
  for (const auto& e : *list) {
    const int index = e.value("index", -1);
    if (index >= 0 && own_explanation(result, index, model) && std::find(out.begin(), out.end(), index) == out.end())
      out.push_back(index);
  }
  return out;
}

// A class that has no map at all: the default method's, without checks (each takes an explanation slot).
json explanation_for_report(ServiceState& state, const StoredAnalysis& stored, const Request& request, int index,
                            const std::string& model) {
  AnalysisOptions o = stored_options(stored, state.config.limits);
  o.method = AnalysisOptions{}.method;
  o.contrast.clear();
  o.faithfulness = false;
  o.sanity = false;
  // Cached under a key of its own: the page's explanations (report_explanations.h) stay what the page asked for,
  // and the same report asked again is the same (cached) report.
  const std::string key = explanation_key("report-map", index, o) + (model.empty() ? "" : "-" + model) + ".json";
  const ExplainCompute explain = [&](const Analyzer& analyzer, const Audio& audio, const AnalysisOptions& options) {
    Explanation e = analyzer.explain(audio, index, options);
    e.model = model;
    return explanation_to_json(e).dump();
  };
  return json::parse(explained_or_computed(state, stored, request, key, explain, index, o, false, model));
}

// The cache key of a report: what it shows changes it. Each review has its own time, so the latest review
// and how many there are name the reviews; the classes, the explanations found, the note and labels are hashed.
std::string report_key(const std::vector<EventReviewRecord>& reviews, const std::string& shown_maps, const StoredAnalysis& s) {
  std::string key = "report";
  if (!reviews.empty()) {
    std::string latest;
    for (const auto& r : reviews) latest = std::max(latest, r.reviewed_at);
    key += "-" + std::to_string(reviews.size()) + "-";
    for (char c : latest)
      if (std::isdigit(static_cast<unsigned char>(c))) key += c;
  }
  std::string shown = shown_maps + '\n' + s.note;
  for (const auto& l : s.labels) shown += '\n' + l;
  if (shown != "\n") key += "-" + std::to_string(std::hash<std::string>{}(shown));
  return key + ".pdf";
}

Response report_pdf(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request);
  const auto reviews = state.store->reviews(stored.id);
  auto result = json::parse(stored.result_json, nullptr, false);
  if (result.is_discarded()) throw Error(ErrorCode::internal, "the stored result of " + stored.id + " is not JSON");
  const std::string model = state.map_model(stored, std::nullopt);
  const auto asked = request.param("classes");
  const std::vector<int> classes = asked ? parse_report_classes(*asked, state.analyzer_of(stored)->labels().size())
                                         : own_classes(result, model);

  // Each class's maps: every method computed for it (from the cache), else the analysis' own, else none yet.
  std::vector<json> shown;
  std::vector<int> missing;
  std::string named = report_classes_text(classes) + (asked ? " asked" : "");
  for (const int index : classes) {
    ComputedExplanations computed = computed_explanations(state, stored, index);
    for (const auto& key : computed.keys) named += "," + key;
    for (auto& e : computed.explanations) {
      e[kReportSourceKey] = kFromCache;
      shown.push_back(std::move(e));
    }
    if (!computed.explanations.empty()) continue;
    if (auto own = own_explanation(result, index, model)) {
      (*own)[kReportSourceKey] = kFromAnalysis;
      shown.push_back(std::move(*own));
    } else {
      missing.push_back(index);
      shown.push_back(json{{"index", index}});  // filled below, when the report is made
    }
  }
  // The events' own checks (explanation?event=N) computed so far, for the events as reviewed.
  const auto detected = events_from_json(result);
  const auto event_review = event_reviews(reviews, detected.size());
  std::vector<Event> as_reviewed;
  for (std::size_t i = 0; i < detected.size(); ++i) as_reviewed.push_back(reviewed_event(detected[i], event_review[i]));
  const ComputedExplanations checked = computed_event_checks(state, stored, as_reviewed);
  for (const auto& k : checked.keys) named += "," + k;
  const std::string key = report_key(reviews, named, stored);
  // A map that would take longer than --explain-budget-s is left out, and the report says so.
  std::string undrawn;
  if (!missing.empty() && !state.store->read_cache(stored.id, key)) {
    for (auto& e : shown) {
      if (e.contains("map")) continue;
      const int index = e["index"].get<int>();
      try {
        e = explanation_for_report(state, stored, request, index, model);
        e[kReportSourceKey] = kForReport;
      } catch (const Error& error) {
        if (error.code() != ErrorCode::too_long) throw;
        undrawn += " No map of class " + std::to_string(index) + " was computed for this report: " + error.what() + ".";
      }
    }
    std::erase_if(shown, [](const json& e) { return !e.contains("map"); });
  }

  const Compute report = [&](const Analyzer& analyzer, const Audio& audio) {
    // Once reviewed, the reviewed table and counts; before, the same report as the CLI's.
    if (!reviews.empty()) add_reviews(result, reviews, stored_event_options(stored).detect.window_high);
    result["explanations"] = shown;
    const auto path = state.store->audio_path(stored.id);  // decoded just now: it is there
    if (!path) throw Error(ErrorCode::not_found, "no analysis with id '" + stored.id + "'");
    ReportFacts facts{stored.filename, file_sha256(*path), stored.created_at,
                      report_parameters(stored_options(stored, state.config.limits), stored_event_options(stored))};
    const AnalysisReport made(result, audio, analyzer, std::move(facts));
    ReportInput in = made.input();  // its figures point into `made`, which outlives the drawing
    in.note = stored.note;
    in.labels = stored.labels;
    in.show_event_checks = true;
    for (const auto& e : checked.explanations) {
      const json event = e.value("event", json::object()), window = e.value("window", json::object());
      in.event_checks.push_back({event.value("index", -1), e.value("method", std::string()),
                                 window.value("start_s", 0.0), window.value("end_s", 0.0), checks_words(e)});
    }
    if (asked) {
      in.looked_at = "pinned or viewed on the page: ";
      for (std::size_t i = 0; i < classes.size(); ++i)
        in.looked_at += (i ? ", " : "") + analyzer.labels().name(classes[i]) + " (" + std::to_string(classes[i]) + ")";
      std::string methods;
      for (const auto& e : shown)
        methods += (methods.empty() ? "" : "; ") + e.value("label", std::string("class")) + " by " +
                   e.value("method", std::string("?"));
      in.looked_at += ". Maps: " + methods + "." + undrawn;
    }
    const auto pdf = render_report_pdf(in);
    return std::string(pdf.begin(), pdf.end());
  };
  Response response = Response::bytes("application/pdf", cached_or_computed(state, stored, request, key, report));
  response.headers.emplace_back("Content-Disposition",
                                attachment_disposition(download_name(stored.filename, ".report.pdf", stored.id)));
  return response;
}

}  // namespace

void add_report_route(ServiceState& state, HandlerMap& handlers) {
  handlers["getReportPdf"] = [&state](const Request& r) { return report_pdf(state, r); };
}

}  // namespace soundlens::http
