#pragma once
// A person's review of one event of a stored analysis (PATCH
// /api/v1/analyses/{id}/events/{event_index}): confirmed, rejected or back to
// unreviewed, optionally with a corrected class and corrected times. Stored
// beside the analysis (table event_reviews) and removed with it; the detected
// event itself is never changed.
#include <cstdint>
#include <optional>
#include <string>

namespace soundlens {

struct EventReviewRecord {
  int event_index = 0;                      // the event's place in the analysis' events, from 0
  std::string status = "unreviewed";        // confirmed, rejected or unreviewed
  std::optional<int> label_index;           // a corrected class (its index); nullopt: the detected one
  std::string label;                        // that class's name ("" without a correction)
  std::optional<double> onset_s, offset_s;  // corrected times; nullopt: the detected ones
  std::optional<std::int64_t> reviewer;     // the user who reviewed it; nullopt: authentication off
  std::string reviewer_name;                // that user's name at the time ("" with authentication off)
  std::string reviewed_at;                  // ISO 8601 UTC with milliseconds, set by the store
};

}  // namespace soundlens
