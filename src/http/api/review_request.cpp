#include "http/api/review_request.h"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "http/api/json_body.h"
#include "exports/review.h"

namespace soundlens::http {
namespace {

[[noreturn]] void bad(const std::string& message) { throw Error(ErrorCode::bad_request, message); }

std::string seconds(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", value);
  return text;
}

std::optional<double> time_field(const std::string& name, const nlohmann::json& value, double duration_s) {
  if (value.is_null()) return std::nullopt;
  if (!value.is_number()) bad(name + " must be a number of seconds or null (got " + quoted_value(value.dump()) + ")");
  const double t = value.get<double>();
  if (!std::isfinite(t)) bad(name + " must be a finite number of seconds");
  if (t < 0) bad(name + " must not be negative (got " + seconds(t) + ")");
  if (t > duration_s + 1e-3)
    bad(name + " is beyond the end of the recording (" + seconds(t) + " > " + seconds(duration_s) + ")");
  return std::min(t, duration_s);
}

}  // namespace

EventReviewRecord parse_review(const std::string& json_body, const EventReviewRecord& previous, const Event& event,
                               double duration_s, const std::function<const Labels&()>& labels_of) {
  const auto body =
      json_object_body(json_body, "{\"status\": \"confirmed\"} (with optional label, onset_s, offset_s)");
  if (body.empty()) bad("nothing to change: give status, label, onset_s and/or offset_s");
  EventReviewRecord review = previous;
  for (const auto& [name, value] : body.items()) {
    if (name == "status") {
      if (!value.is_string() || !is_review_status(value.get<std::string>()))
        bad("status must be \"confirmed\", \"rejected\" or \"unreviewed\" (got " + quoted_value(value.dump()) + ")");
      review.status = value.get<std::string>();
    } else if (name == "label") {
      if (value.is_null()) {
        review.label_index.reset();
        review.label.clear();
        continue;
      }
      std::string key;
      if (value.is_number_integer()) key = std::to_string(value.get<long long>());
      else if (value.is_string() && !value.get<std::string>().empty()) key = value.get<std::string>();
      else bad("label must be a class name, a class index or null (got " + quoted_value(value.dump()) + ")");
      const Labels& labels = labels_of();
      const auto index = key.size() <= 200 ? labels.find(key) : std::nullopt;
      if (!index)
        throw Error(ErrorCode::bad_request, "label " + quoted_value(key) + " is not a class of the model (give an index 0-" +
                                                std::to_string(labels.size() - 1) + " or a display name)");
      // The detected class named again is no correction.
      if (*index == event.index) review.label_index.reset(), review.label.clear();
      else review.label_index = *index, review.label = labels.name(*index);
    } else if (name == "onset_s") {
      review.onset_s = time_field(name, value, duration_s);
    } else if (name == "offset_s") {
      review.offset_s = time_field(name, value, duration_s);
    } else {
      bad("unknown field " + quoted_value(name) + " (a review has status, label, onset_s and offset_s)");
    }
  }
  const double onset = review.onset_s.value_or(event.onset_s), offset = review.offset_s.value_or(event.offset_s);
  if (!(onset < offset))
    bad("onset_s (" + seconds(onset) + ") must be before offset_s (" + seconds(offset) + ")");
  return review;
}

}  // namespace soundlens::http
