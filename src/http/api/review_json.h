#pragma once
// Reviews in the API's JSON: each event of a stored analysis gains `review`
// (status, the corrected class and times, who, when) and each entry of
// `event_counts` gains detected / confirmed / rejected / unreviewed, its count
// and rate becoming what stands after review (exports/review.h). Internal to http.
#include <vector>

#include <nlohmann/json.hpp>

#include "exports/review.h"
#include "storage/event_review.h"

namespace soundlens::http {

// The reviews of `events` events in event order (unreviewed where none is stored; records
// whose index is out of range are ignored).
std::vector<EventReview> event_reviews(const std::vector<EventReviewRecord>& records, std::size_t events);

// {status, index, label, onset_s, offset_s, reviewer, reviewed_at}; null where not set.
nlohmann::json review_json(const EventReviewRecord& record);

// Adds the reviews to an analysis' JSON (its events and event_counts), in place. other_threshold:
// the detection threshold the analysis was made with for classes without a calibrated one (its
// event_threshold option).
void add_reviews(nlohmann::json& analysis_json, const std::vector<EventReviewRecord>& records,
                 double other_threshold);

// The event_counts after review of an analysis' JSON and its reviews; each entry also says the
// class's detection threshold (`threshold`: the model's calibrated one, else other_threshold), the
// peak probability every one of its events reached, which the page's threshold control starts from.
nlohmann::json reviewed_counts_json(const nlohmann::json& analysis_json, const std::vector<EventReviewRecord>& records,
                                    double other_threshold);

}  // namespace soundlens::http
