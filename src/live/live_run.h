#pragma once
// One live session: a reader thread fills a bounded queue from the source, this
// thread analyses what is queued, records it and reports; until the source
// ends, fails, or `stop` is set (a signal). However it ends, what was heard is
// analysed to its end, the recording and the CSV closed valid, and the totals
// reported; a failure is then rethrown.
#include <atomic>
#include <string>

#include "live/live_engine.h"
#include "live/live_files.h"
#include "live/live_report.h"
#include "live/live_source.h"

namespace soundlens {

struct LiveRunSettings {
  bool real_time = true;   // the source does not wait: a late analysis drops windows
  double max_lag_s = 2;    // ... beyond this many seconds of queued audio; 0: never
  double hop_s = 0.5;      // the recording is flushed at least this often (seconds of audio)
};

struct LiveRunResult {
  LiveTotals totals;
  bool stopped = false;  // by `stop`
};

LiveRunResult run_live(LiveEngine& engine, const LiveSource& source, const LiveRunSettings& settings,
                       Recorder* record, LiveReport& report, const std::atomic<bool>& stop);

}  // namespace soundlens
