#pragma once
// The body of PATCH /api/v1/analyses/{id}/events/{event_index}, checked
// against the event and the recording. Internal to http.
#include <functional>
#include <string>
#include <vector>

#include "events/event.h"
#include "model/labels.h"
#include "storage/event_review.h"

namespace soundlens::http {

// The largest body accepted (413 beyond): a review is a few fields.
inline constexpr std::size_t kMaxReviewBodyBytes = 4096;

// The event's review after the change in `json_body`:
//   {"status": "confirmed"|"rejected"|"unreviewed", "label": "Cough" or 47 or null,
//    "onset_s": 1.5 or null, "offset_s": 2.0 or null}
// Each field is optional (at least one is given); one left out keeps its value in `previous`,
// null clears a correction (back to the detected class or time). Error(bad_request) naming the
// field for anything else: unknown fields, wrong types, an unknown status, times that are not
// finite, negative, beyond the recording (duration_s) or not onset < offset once combined with
// the event's other time, or a class `labels` (asked only for a relabel: it may load the model) does not have.
EventReviewRecord parse_review(const std::string& json_body, const EventReviewRecord& previous, const Event& event,
                               double duration_s, const std::function<const Labels&()>& labels);

}  // namespace soundlens::http
