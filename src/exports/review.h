#pragma once
// An event as a person reviewed it: its status, and the class and times they
// corrected, which win over the detected ones wherever the event is shown or
// exported. The counts that follow from the reviews: a rejected event does not
// count, a relabelled one counts under its new class. Plain values and pure
// functions, so that the API, the exports and the report agree.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "events/event.h"

namespace soundlens {

struct EventReview {
  std::string status = "unreviewed";  // confirmed, rejected or unreviewed
  std::optional<int> label_index;     // a corrected class; nullopt: the detected one
  std::string label;                  // its name
  std::optional<double> onset_s, offset_s;  // corrected times; nullopt: the detected ones
};

// The three statuses a review may have.
bool is_review_status(const std::string& status);

// The event with the reviewed class and times in place of the detected ones.
Event reviewed_event(const Event& event, const EventReview& review);

struct ReviewedCount {
  int index = 0;
  std::string label;
  int detected = 0;  // events the detector gave this class
  int confirmed = 0, rejected = 0, unreviewed = 0;  // by the reviewed class
  int count = 0;          // what stands: confirmed + unreviewed
  double per_hour = 0;    // count over the recording's duration
};

// Per class, starting from the detected counts (their classes and order, pinned classes at 0
// included), the reviewed events counted under their reviewed class; classes that only a relabel
// brought come after, by index. Then by count, highest first (stable). reviews[i] is the review of
// events[i]; fewer reviews than events: the rest are unreviewed.
std::vector<ReviewedCount> reviewed_counts(std::span<const Event> events, std::span<const EventReview> reviews,
                                           std::span<const EventCount> detected_counts, double duration_s);

}  // namespace soundlens
