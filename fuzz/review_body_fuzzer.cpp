// The body of PATCH /api/v1/analyses/{id}/events/{event_index} (a person's
// review of one event) is parsed by parse_review against the event and the
// recording. Whatever the bytes, it either throws Error(bad_request) or
// returns a review the store and the exports can take as it is: a known
// status, a class of the model other than the detected one, finite times
// inside the recording with onset before offset.
//   byte 0: which previous review and event the body applies to;
//   the rest: the JSON body.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.h"
#include "exports/review.h"
#include "http/api/review_request.h"

namespace {

using namespace soundlens;

const Labels& labels() {
  static const Labels names = Labels::from_names({"Speech", "Cough", "Sneeze", "Throat clearing", "Snoring", "Dog",
                                                  "Baby cry, infant cry", "Crow", "Caw", "Music"});
  return names;
}

struct Setting {
  Event event;
  EventReviewRecord previous;
  double duration_s;
};

Setting setting(std::uint8_t choice) {
  Setting s{.event = {.index = 1, .label = "Cough", .onset_s = 2.0, .offset_s = 2.5, .probability = 0.9f},
            .previous = {.event_index = 0},
            .duration_s = 120.0};
  if (choice & 1) s.previous.status = "confirmed";
  if (choice & 2) s.previous.label_index = 2, s.previous.label = "Sneeze";
  if (choice & 4) s.previous.onset_s = 1.9;
  if (choice & 8) s.previous.offset_s = 2.6;
  if (choice & 16) s.duration_s = 2.5;  // the event ends where the recording does
  if (choice & 32) s.event.onset_s = 0, s.event.offset_s = 0.3;
  // A stored review was checked against the same recording: its times are inside it.
  if (s.previous.onset_s) s.previous.onset_s = std::min(*s.previous.onset_s, s.duration_s);
  if (s.previous.offset_s) s.previous.offset_s = std::min(*s.previous.offset_s, s.duration_s);
  return s;
}

bool inside(const std::optional<double>& t, double duration_s) {
  return !t || (std::isfinite(*t) && *t >= 0 && *t <= duration_s);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Setting s = setting(data[0]);
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  int asked = 0;
  try {
    const EventReviewRecord r = http::parse_review(body, s.previous, s.event, s.duration_s, [&]() -> const Labels& {
      ++asked;
      return labels();
    });
    if (!is_review_status(r.status)) std::abort();
    if (r.label_index && (*r.label_index < 0 || *r.label_index >= labels().size() || *r.label_index == s.event.index))
      std::abort();
    if (r.label_index.has_value() != !r.label.empty()) std::abort();
    if (r.label_index && r.label != labels().name(*r.label_index)) std::abort();
    if (!inside(r.onset_s, s.duration_s) || !inside(r.offset_s, s.duration_s)) std::abort();
    if (!(r.onset_s.value_or(s.event.onset_s) < r.offset_s.value_or(s.event.offset_s))) std::abort();
    if (r.event_index != s.previous.event_index || r.reviewer != s.previous.reviewer) std::abort();
  } catch (const Error& e) {
    if (e.code() != ErrorCode::bad_request) std::abort();  // a bad body is the client's fault, never another status
  }
  if (asked > 1) std::abort();  // the labels (which may load a model) are asked for once at most
  return 0;
}
