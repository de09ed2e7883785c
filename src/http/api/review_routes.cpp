// PATCH /api/v1/analyses/{id}/events/{event_index}: a person confirms, rejects
// or corrects one event. Owned like the analysis' note (another user's
// analysis is 404 as if unknown) and audited ("review").
#include "analysis_events/analysis_events.h"
#include "core/error.h"
#include "http/api/review_json.h"
#include "http/api/request_params.h"
#include "http/api/review_request.h"
#include "http/api/routes.h"
#include "service/stored_json.h"

namespace soundlens::http {
namespace {

Response review_event(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request);  // another user's: 404 as if unknown
  const std::string type = request.content_type.substr(0, request.content_type.find(';'));
  if (type != "application/json")
    throw Error(ErrorCode::unsupported_format, "send the review as application/json (got Content-Type " +
                                                   quoted_value(request.content_type) + ")");
  if (request.body.size() > kMaxReviewBodyBytes)
    throw Error(ErrorCode::too_large, "a review is at most " + std::to_string(kMaxReviewBodyBytes) + " bytes (got " +
                                          std::to_string(request.body.size()) + ")");
  const auto analysis = nlohmann::json::parse(stored.result_json, nullptr, false);
  if (analysis.is_discarded()) throw Error(ErrorCode::internal, "the stored result of " + stored.id + " is not JSON");
  const auto events = events_from_json(analysis);
  const int index = event_index("event_index", request.path_params.at("event_index"), events.size());

  auto records = state.store->reviews(stored.id);
  EventReviewRecord previous{.event_index = index};
  for (const auto& r : records)
    if (r.event_index == index) previous = r;
  std::shared_ptr<const Analyzer> analyzer;  // loaded only for a relabel
  const auto labels = [&]() -> const Labels& {
    if (!analyzer) analyzer = state.analyzer_of(stored);
    return analyzer->labels();
  };
  EventReviewRecord review = parse_review(request.body, previous, events[std::size_t(index)],
                                          stored.duration_s.value_or(analysis.value("duration_s", 0.0)), labels);
  review.event_index = index;
  review.reviewer = request.caller ? std::optional(request.caller->user_id) : std::nullopt;
  review.reviewer_name = request.caller ? request.caller->user_name : "";
  const auto saved = state.store->set_review(stored.id, review);
  if (!saved) throw Error(ErrorCode::not_found, "no analysis with id " + quoted_value(stored.id));

  std::erase_if(records, [&](const EventReviewRecord& r) { return r.event_index == index; });
  records.push_back(*saved);
  const double threshold = stored_event_options(stored).detect.window_high;
  nlohmann::json event = analysis["events"][std::size_t(index)];
  event["review"] = review_json(*saved);
  Response response = Response::json(200, {{"id", stored.id},
                                            {"event_index", index},
                                            {"event", event},
                                            {"event_counts", reviewed_counts_json(analysis, records, threshold)}});
  response.analysis_id = stored.id;
  return response;
}

}  // namespace

void add_review_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["reviewEvent"] = [&state](const Request& r) { return review_event(state, r); };
}

}  // namespace soundlens::http
