// GET /api/v1/analyses/{id}/report.pdf: the PDF report, made from the stored
// analysis and audio (cached). With ?view= (report_view.h) it is of what the
// page looked at: those classes' figures with the method each was shown with
// and the checks computed for them (the explanations the page asked for,
// from the cache), instead of the analysis' own top classes. It carries the
// events as reviewed and the analysis' note and labels.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>

#include "analysis/analysis_json.h"
#include "analysis_events/report_input.h"
#include "core/error.h"
#include "http/api/cached_result.h"
#include "http/api/explanation_key.h"
#include "http/api/report_view.h"
#include "http/api/review_json.h"
#include "http/api/routes.h"
#include "http/server/content_disposition.h"
#include "model/file_sha256.h"

namespace soundlens::http {
namespace {

using nlohmann::json;

// The margin over a random map a faithfulness score must clear to count as better or worse than
// chance: the page's (web/lib/trust.ts, FAITHFULNESS_MARGIN), so that both say the same.
constexpr double kFaithfulnessMargin = 0.1;

std::string fixed(double v, const char* format = "%.2f") {
  char text[32];
  std::snprintf(text, sizeof text, format, v);
  return text;
}

// The faithfulness check of an explanation's JSON as the page says it; "" when it was not computed.
std::string faithfulness_words(const json& e) {
  const auto f = e.find("faithfulness");
  if (f == e.end() || !f->is_object()) return "";
  const std::string label = e.value("label", "the class");
  const auto number = [&](const char* name) -> std::optional<double> {
    const auto it = f->find(name);
    return it != f->end() && it->is_number() ? std::optional(it->get<double>()) : std::nullopt;
  };
  const auto score = number("score"), random = number("random_score");
  if (!score || f->value("absent_class", false))
    return "Faithfulness: no verdict, " + label + " is absent from this recording, so removing parts of it cannot show "
           "what the model uses for it.";
  const double margin = *score - random.value_or(0.0);
  const std::string verdict = margin >= kFaithfulnessMargin    ? "clearly better than a random map"
                              : margin <= -kFaithfulnessMargin ? "worse than a random map: do not rely on it"
                                                               : "not clearly better than a random map: do not rely on it";
  return "Faithfulness " + fixed(*score) + (random ? " against " + fixed(*random) + " for a random map of the same cells" : "") +
         ", a margin of " + fixed(margin, "%+.2f") + " (at least " + fixed(kFaithfulnessMargin) + " is needed): " + verdict +
         ". The score is how much more of " + label + " survives removing the map's least important cells than its most "
         "important ones, as a share of its probability: 0 is what a random map scores, 1 means the top cells carry all of it.";
}

// The explanation of one viewed class as the explanation route gives it (faithfulness computed, as the page
// asks for it): the page's own from the cache (with the sanity check when it asked for that too), else computed.
std::string viewed_explanation(ServiceState& state, const StoredAnalysis& stored, const Request& request,
                               const ViewedClass& v) {
  AnalysisOptions o = stored_options(stored, state.config.limits);
  o.method = v.method;
  o.contrast.clear();
  o.faithfulness = true;
  o.sanity = true;
  if (auto cached = state.store->read_cache(stored.id, explanation_key("explanation", v.index, o) + ".json"))
    return {cached->begin(), cached->end()};
  o.sanity = false;
  const ExplainCompute explain = [&](const Analyzer& analyzer, const Audio& audio, const AnalysisOptions& options) {
    return explanation_to_json(analyzer.explain(audio, v.index, options)).dump();
  };
  return explained_or_computed(state, stored, request, explanation_key("explanation", v.index, o) + ".json", explain,
                               v.index, o);
}

// The cache key of a report: what it shows changes it. Each review has its own time, so the latest review
// and how many there are name the reviews; the view, note and labels are hashed.
std::string report_key(const std::vector<EventReviewRecord>& reviews, const std::string& view, const StoredAnalysis& s) {
  std::string key = "report";
  if (!reviews.empty()) {
    std::string latest;
    for (const auto& r : reviews) latest = std::max(latest, r.reviewed_at);
    key += "-" + std::to_string(reviews.size()) + "-";
    for (char c : latest)
      if (std::isdigit(static_cast<unsigned char>(c))) key += c;
  }
  std::string shown = view + '\n' + s.note;
  for (const auto& l : s.labels) shown += '\n' + l;
  if (shown != "\n") key += "-" + std::to_string(std::hash<std::string>{}(shown));
  return key + ".pdf";
}

Response report_pdf(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request);
  const auto reviews = state.store->reviews(stored.id);
  std::vector<ViewedClass> view;
  if (const auto text = request.param("view")) view = parse_report_view(*text, state.analyzer_of(stored)->labels().size());
  const std::string key = report_key(reviews, report_view_text(view), stored);

  // The viewed explanations before the report is made: each takes an explanation slot of its own.
  std::vector<json> viewed;
  if (!view.empty() && !state.store->read_cache(stored.id, key))
    for (const auto& v : view) viewed.push_back(json::parse(viewed_explanation(state, stored, request, v)));

  const Compute report = [&](const Analyzer& analyzer, const Audio& audio) {
    auto result = json::parse(stored.result_json, nullptr, false);
    if (result.is_discarded()) throw Error(ErrorCode::internal, "the stored result of " + stored.id + " is not JSON");
    // Once reviewed, the reviewed table and counts; before, the same report as the CLI's.
    if (!reviews.empty()) add_reviews(result, reviews, stored_event_options(stored).detect.window_high);
    std::vector<std::string> checks;
    if (!view.empty()) {
      result["explanations"] = json::array();
      for (auto e : viewed) {
        checks.push_back(faithfulness_words(e));
        e.erase("faithfulness");  // said in words above; an absent class's null score is no number to draw
        result["explanations"].push_back(std::move(e));
      }
    }
    const auto path = state.store->audio_path(stored.id);  // decoded just now: it is there
    if (!path) throw Error(ErrorCode::not_found, "no analysis with id '" + stored.id + "'");
    ReportFacts facts{stored.filename, file_sha256(*path), stored.created_at,
                      report_parameters(stored_options(stored, state.config.limits), stored_event_options(stored))};
    const AnalysisReport made(result, audio, analyzer, std::move(facts));
    ReportInput in = made.input();  // its figures point into `made`, which outlives the drawing
    for (std::size_t i = 0; i < checks.size() && i < in.figures.size(); ++i)
      in.figures[i].checks = checks[i].empty() ? "Faithfulness: not computed." : checks[i];
    in.note = stored.note;
    in.labels = stored.labels;
    for (std::size_t i = 0; i < view.size() && i < viewed.size(); ++i)
      in.looked_at += (i ? "; " : "") + viewed[i].value("label", "class " + std::to_string(view[i].index)) + " (" +
                      std::to_string(view[i].index) + ") by " + view[i].method;
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
