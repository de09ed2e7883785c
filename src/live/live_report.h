#pragma once
// What a live session prints: with --json one JSON object per line (a "hop"
// per analysed window, "event_start" and "event" lines, "warning" lines, the
// "summary" at the end); otherwise the events as text lines and, when the
// output is a terminal, a view redrawn in place under them (level meter, the
// current top classes, running counts and rates per hour).
#include <map>
#include <ostream>
#include <string>

#include "live/live_engine.h"
#include "live/live_files.h"

namespace soundlens {

struct LiveReportOptions {
  bool json = false;
  bool terminal = false;  // redraw the view in place (only when the output is a terminal)
  std::string model;
  double window_s = 0, hop_s = 0;
};

class LiveReport : public LiveSink {
 public:
  // csv, when given, gets each final event as it is known.
  LiveReport(std::ostream& out, std::ostream& err, LiveReportOptions options, EventsCsvFile* csv = nullptr);
  void hop(const HopReport& report) override;
  void event_started(const StreamedEvent& e) override;
  void event_ended(const StreamedEvent& e) override;
  void warning(const std::string& message) override;
  // The end: totals and counts per class (per hour of the stream).
  void summary(const LiveTotals& totals, const std::string& ended_by);

 private:
  void clear_view();
  void draw_view();
  std::ostream& out_;
  std::ostream& err_;
  LiveReportOptions o_;
  EventsCsvFile* csv_;
  HopReport last_;
  std::map<std::string, int> counts_;
  int view_lines_ = 0;
  long events_ = 0;
};

}  // namespace soundlens
