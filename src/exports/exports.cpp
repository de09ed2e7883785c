#include "exports/exports.h"

#include <cstdio>

namespace soundlens {
namespace {

std::string number(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// Tab-separated formats have no quoting: tabs and line breaks become spaces.
std::string tsv_field(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}

}  // namespace

namespace {

// The events as reviewed, with their statuses; none when `reviews` is nullptr (no review column).
struct Shown {
  Event event;
  std::string status;
};
std::vector<Shown> shown(std::span<const Event> events, const std::span<const EventReview>* reviews) {
  std::vector<Shown> out;
  const EventReview none;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const EventReview& review = reviews && i < reviews->size() ? (*reviews)[i] : none;
    out.push_back({reviewed_event(events[i], review), review.status});
  }
  return out;
}

std::string events_csv(std::span<const Event> events, const std::span<const EventReview>* reviews) {
  std::string out = "index,label,onset_s,offset_s,probability,low_hz,high_hz";
  out += reviews ? ",review\r\n" : "\r\n";
  for (const auto& [e, status] : shown(events, reviews))
    out += std::to_string(e.index) + ',' + csv_field(e.label) + ',' + number(e.onset_s, 3) + ',' +
           number(e.offset_s, 3) + ',' + number(e.probability, 4) + ',' + number(e.low_hz, 1) + ',' +
           number(e.high_hz, 1) + (reviews ? ',' + status : std::string()) + "\r\n";
  return out;
}

std::string raven(std::span<const Event> events, const std::span<const EventReview>* reviews) {
  std::string out =
      "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tClass\tClass Index"
      "\tProbability";
  out += reviews ? "\tReview\n" : "\n";
  int selection = 0;
  for (const auto& [e, status] : shown(events, reviews))
    out += std::to_string(++selection) + "\tSpectrogram 1\t1\t" + number(e.onset_s, 6) + '\t' + number(e.offset_s, 6) +
           '\t' + number(e.low_hz, 1) + '\t' + number(e.high_hz, 1) + '\t' + tsv_field(e.label) + '\t' +
           std::to_string(e.index) + '\t' + number(e.probability, 4) + (reviews ? '\t' + status : std::string()) +
           '\n';
  return out;
}

std::string audacity(std::span<const Event> events, const std::span<const EventReview>* reviews) {
  std::string out;
  for (const auto& [e, status] : shown(events, reviews)) {
    const std::string mark = status == "unreviewed" ? "" : " (" + status + ")";
    out += number(e.onset_s, 6) + '\t' + number(e.offset_s, 6) + '\t' + tsv_field(e.label) + mark + '\n';
    out += "\\\t" + number(e.low_hz, 6) + '\t' + number(e.high_hz, 6) + '\n';  // the band: a spectral selection
  }
  return out;
}

}  // namespace

std::string write_events_csv(std::span<const Event> events) { return events_csv(events, nullptr); }
std::string write_events_csv(std::span<const Event> events, std::span<const EventReview> reviews) {
  return events_csv(events, &reviews);
}

std::string write_windows_csv(std::span<const TimelineWindow> timeline, std::span<const Prediction> classes) {
  std::string out = "start_s,end_s";
  for (const auto& c : classes) out += ',' + csv_field(c.label);
  out += "\r\n";
  for (const auto& w : timeline) {
    out += number(w.start_s, 3) + ',' + number(w.end_s, 3);
    for (const auto& c : classes) {
      const auto i = std::size_t(c.index);
      out += ',' + (i < w.probabilities.size() ? number(w.probabilities[i], 4) : std::string());
    }
    out += "\r\n";
  }
  return out;
}

std::string write_raven(std::span<const Event> events) { return raven(events, nullptr); }
std::string write_raven(std::span<const Event> events, std::span<const EventReview> reviews) {
  return raven(events, &reviews);
}

std::string write_audacity(std::span<const Event> events) { return audacity(events, nullptr); }
std::string write_audacity(std::span<const Event> events, std::span<const EventReview> reviews) {
  return audacity(events, &reviews);
}

}  // namespace soundlens
