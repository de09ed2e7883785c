#include "exports/review.h"

#include <algorithm>
#include <map>

namespace soundlens {

bool is_review_status(const std::string& status) {
  return status == "confirmed" || status == "rejected" || status == "unreviewed";
}

Event reviewed_event(const Event& event, const EventReview& review) {
  Event out = event;
  if (review.label_index) {
    out.index = *review.label_index;
    out.label = review.label;
  }
  if (review.onset_s) out.onset_s = *review.onset_s;
  if (review.offset_s) out.offset_s = *review.offset_s;
  return out;
}

std::vector<ReviewedCount> reviewed_counts(std::span<const Event> events, std::span<const EventReview> reviews,
                                           std::span<const EventCount> detected_counts, double duration_s) {
  std::vector<ReviewedCount> out;
  std::map<int, std::size_t> at;  // class index -> place in out
  const auto entry = [&](int index, const std::string& label) -> ReviewedCount& {
    const auto [it, added] = at.emplace(index, out.size());
    if (added) out.push_back({.index = index, .label = label});
    return out[it->second];
  };
  for (const auto& c : detected_counts) entry(c.index, c.label).detected = c.count;
  const std::size_t counted = out.size();
  const EventReview none;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const EventReview& review = i < reviews.size() ? reviews[i] : none;
    const Event shown = reviewed_event(events[i], review);
    auto& c = entry(shown.index, shown.label);
    if (review.status == "confirmed") ++c.confirmed;
    else if (review.status == "rejected") ++c.rejected;
    else ++c.unreviewed;
  }
  for (auto& c : out) {
    c.count = c.confirmed + c.unreviewed;
    c.per_hour = duration_s > 0 ? c.count * 3600.0 / duration_s : 0;
  }
  // Classes the detector counted keep their order; those only a relabel brought follow by index.
  const auto first_new = out.begin() + std::ptrdiff_t(counted);
  std::sort(first_new, out.end(), [](const ReviewedCount& a, const ReviewedCount& b) { return a.index < b.index; });
  std::stable_sort(out.begin(), out.end(), [](const ReviewedCount& a, const ReviewedCount& b) { return a.count > b.count; });
  return out;
}

}  // namespace soundlens
