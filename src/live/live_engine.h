#pragma once
// The rolling analysis of a live stream: samples pushed as they arrive (32 kHz
// mono), cut into windows as the offline analysis cuts them (WindowStream),
// each window through the network once as soon as its last sample is in; its
// frame evidence stitched, and every frame handed to the incremental event
// detector once no later window can change it. Holds one window of samples and
// the frames of one window: memory does not grow with the stream's length.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "analysis_events/event_options.h"
#include "events/event.h"
#include "events/streaming_events.h"

namespace soundlens {

struct LiveSettings {
  double window_s = 2;
  double hop_s = 0.5;
  int top_k = 5;
  std::vector<int> watched;  // classes reported every hop and pinned for events (as --class offline)
  AnalysisEventOptions events;  // only its detection thresholds: the windows are window_s / hop_s
  double warn_after_s = 2;     // all zeros or all clipped this long: a warning
  // 0: a frame is final once every window covering it is analysed (analyze's events, about a window's
  // delay). Above 0: final this long after it was heard, from the windows analysed by then (earlier
  // events; a later window's columns over it are then not counted), and an event ends once its own
  // columns have been quiet for the merge gap (StreamingEvents::end_on_quiet_columns).
  double settle_s = 0;  // the command's default: kLiveSettleS (live_options.h)
};

struct HopReport {
  double time_s = 0;          // stream time at the window's end
  double window_start_s = 0;
  std::vector<Prediction> top;      // the window's top k
  std::vector<Prediction> watched;  // the watched classes' probabilities in it
  double rms_dbfs = -120, peak_dbfs = -120;  // the samples since the previous report
  long dropped = 0;           // windows not analysed so far (the analysis fell behind)
  double compute_ms = 0;      // features + network for this window
};

class LiveSink {
 public:
  virtual ~LiveSink() = default;
  virtual void hop(const HopReport& report) = 0;
  virtual void event_started(const StreamedEvent& e) = 0;
  virtual void event_ended(const StreamedEvent& e) = 0;
  virtual void warning(const std::string& message) = 0;
};

struct LiveTotals {
  double duration_s = 0;
  long windows = 0, dropped = 0;
  std::vector<Event> events;
  std::vector<EventCount> counts;  // per hour of duration_s
  int other_classes_heard = 0;     // see StreamingEvents
  std::vector<int> heard_late;     // see RollingFrames
  double compute_ms = 0;
};

class LiveEngine {
 public:
  // Error(bad_request) for windows the model cannot take (window_s under the
  // network's minimum, hop_s <= 0 or above window_s) and unknown classes.
  LiveEngine(const Analyzer& analyzer, const LiveSettings& settings);
  ~LiveEngine();
  // behind: the caller is late (audio waiting): windows this block completes are dropped, counted.
  void push(std::span<const float> samples, LiveSink& sink, bool behind = false);
  // The end of the stream: the last window (ending at the last sample, as offline), every event closed.
  LiveTotals finish(LiveSink& sink);
  // Watches class `index` from now on (pinned during a session): its probability in every later hop
  // report, its frames heard and its events counted from the frames not yet final. Error(bad_request)
  // for an unknown index. Watching a watched class changes nothing.
  void watch(int index);
  const std::vector<int>& watched() const;
  double stream_time_s() const;
  double seconds_per_frame() const;
  std::size_t held_samples() const;
  long dropped_windows() const;  // so far (a hop line says it too, but dropped windows make no hop line)

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace soundlens
