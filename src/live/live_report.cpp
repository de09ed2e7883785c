#include "live/live_report.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "events/events_json.h"

namespace soundlens {
namespace {

nlohmann::json predictions_json(const std::vector<Prediction>& list) {
  auto out = nlohmann::json::array();
  for (const auto& p : list) out.push_back({{"index", p.index}, {"label", p.label}, {"probability", p.probability}});
  return out;
}

nlohmann::json event_json(const StreamedEvent& e, const char* type) {
  nlohmann::json j = events_to_json({e.event}).at(0);
  j["type"] = type;
  j["peak_s"] = e.peak_s;
  return j;
}

std::string fixed(double v, int decimals) {
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", decimals, v);
  return text;
}

std::string event_text(const StreamedEvent& e) {
  std::string s = fixed(e.event.onset_s, 2) + " - " + fixed(e.event.offset_s, 2) + " s  " + e.event.label + " (" +
                  std::to_string(e.event.index) + ")  p " + fixed(e.event.probability, 2) + ", peak at " +
                  fixed(e.peak_s, 2) + " s, band " + fixed(e.event.low_hz, 0) + "-" + fixed(e.event.high_hz, 0) + " Hz";
  if (!e.event.alternatives.empty()) {
    s += "  (also:";
    for (const auto& a : e.event.alternatives) s += " " + a.label;
    s += ")";
  }
  return s;
}

}  // namespace

LiveReport::LiveReport(std::ostream& out, std::ostream& err, LiveReportOptions options, EventsCsvFile* csv)
    : out_(out), err_(err), o_(std::move(options)), csv_(csv) {
  o_.terminal = o_.terminal && !o_.json;
}

void LiveReport::clear_view() {
  if (!o_.terminal || view_lines_ == 0) return;
  out_ << "\x1b[" << view_lines_ << "F\x1b[J";  // up to the view's first line, erase to the end
  view_lines_ = 0;
}

void LiveReport::draw_view() {
  if (!o_.terminal) return;
  const double t = last_.time_s;
  // Level meter: -60 dBFS .. 0 over 30 cells.
  const int cells = std::clamp(int((last_.rms_dbfs + 60) / 2), 0, 30);
  std::string lines = "-- soundlens live, " + o_.model + ", window " + fixed(o_.window_s, 2) + " s, hop " +
                      fixed(o_.hop_s, 2) + " s; " + fixed(t, 1) + " s heard";
  if (last_.dropped) lines += ", " + std::to_string(last_.dropped) + " windows dropped (analysis behind)";
  lines += "\nlevel " + std::string(std::size_t(cells), '#') + std::string(std::size_t(30 - cells), '.') + " " +
           fixed(last_.rms_dbfs, 1) + " dBFS (peak " + fixed(last_.peak_dbfs, 1) + ")\nnow  ";
  for (const auto& p : last_.top) lines += " " + p.label + " " + fixed(p.probability, 2) + ";";
  for (const auto& p : last_.watched) lines += "\nwatch " + p.label + " " + fixed(p.probability, 2);
  lines += "\nevents " + std::to_string(events_);
  for (const auto& [label, n] : counts_)
    lines += "\n  " + label + ": " + std::to_string(n) + " (" + fixed(t > 0 ? n * 3600.0 / t : 0, 1) + " per hour)";
  lines += "\n";
  out_ << lines << std::flush;
  view_lines_ = int(std::count(lines.begin(), lines.end(), '\n'));
}

void LiveReport::hop(const HopReport& r) {
  last_ = r;
  if (o_.json) {
    nlohmann::json j{{"type", "hop"},
                     {"time_s", r.time_s},
                     {"window_start_s", r.window_start_s},
                     {"top", predictions_json(r.top)},
                     {"watched", predictions_json(r.watched)},
                     {"rms_dbfs", r.rms_dbfs},
                     {"peak_dbfs", r.peak_dbfs},
                     {"dropped_windows", r.dropped},
                     {"compute_ms", r.compute_ms}};
    out_ << j.dump() << std::endl;
    return;
  }
  clear_view();
  draw_view();
}

void LiveReport::event_started(const StreamedEvent& e) {
  if (o_.json) {
    out_ << event_json(e, "event_start").dump() << std::endl;
    return;
  }
  clear_view();
  out_ << "start " << fixed(e.event.onset_s, 2) << " s  " << e.event.label << " (" << e.event.index << ")\n";
  draw_view();
  out_ << std::flush;
}

void LiveReport::event_ended(const StreamedEvent& e) {
  ++events_;
  ++counts_[e.event.label];
  if (csv_) csv_->add(e.event);
  if (o_.json) {
    out_ << event_json(e, "event").dump() << std::endl;
    return;
  }
  clear_view();
  out_ << "event " << event_text(e) << "\n";
  draw_view();
  out_ << std::flush;
}

void LiveReport::warning(const std::string& message) {
  if (o_.json) {
    out_ << nlohmann::json{{"type", "warning"}, {"time_s", last_.time_s}, {"message", message}}.dump() << std::endl;
    return;
  }
  clear_view();
  err_ << "soundlens live: warning: " << message << std::endl;
  draw_view();
}

void LiveReport::summary(const LiveTotals& t, const std::string& ended_by) {
  if (o_.json) {
    out_ << nlohmann::json{{"type", "summary"},
                           {"ended_by", ended_by},
                           {"duration_s", t.duration_s},
                           {"windows", t.windows},
                           {"dropped_windows", t.dropped},
                           {"events", events_to_json(t.events)},
                           {"event_counts", event_counts_to_json(t.counts)},
                           {"other_classes_heard", t.other_classes_heard},
                           {"heard_late", t.heard_late},
                           {"compute_ms", t.compute_ms}}
                .dump()
         << std::endl;
    return;
  }
  clear_view();
  out_ << "-- " << ended_by << ": " << fixed(t.duration_s, 1) << " s heard, " << t.windows << " windows analysed, "
       << t.dropped << " dropped; " << t.events.size() << " events\n";
  for (const auto& c : t.counts)
    out_ << "  " << c.label << ": " << c.count << " (" << fixed(c.per_hour, 1) << " per hour)\n";
  out_ << std::flush;
}

}  // namespace soundlens
