#include "live/live_run.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "audio/audio.h"
#include "core/error.h"

namespace soundlens {

LiveRunResult run_live(LiveEngine& engine, const LiveSource& source, const LiveRunSettings& settings,
                       Recorder* record, LiveReport& report, const std::atomic<bool>& stop) {
  constexpr std::size_t rate = 32000;
  const auto lag = std::size_t(settings.max_lag_s * rate);
  const bool may_drop = settings.real_time && lag > 0;
  // Bounded: a late analysis drops windows to catch up (or the source waits), never holds more than this.
  SampleQueue queue(may_drop ? std::max<std::size_t>(2 * lag, 4 * rate) : 4 * rate);
  std::thread reader([&] { source(queue, stop); });
  std::exception_ptr failed;
  std::size_t unflushed = 0;
  const auto flush_every = std::size_t(std::max(0.05, settings.hop_s) * rate);
  bool was_behind = false;
  try {
    for (bool done = false; !done;) {
      std::vector<float> block = queue.pop(std::chrono::milliseconds(50), done);
      if (block.empty()) continue;
      if (record) record->write(block);
      const bool behind = may_drop && block.size() > lag;
      if (behind && !was_behind)
        report.warning("the analysis is behind real time (" + std::to_string(block.size() / rate) +
                       " s of audio waiting): dropping windows until it catches up");
      was_behind = behind;
      engine.push(block, report, behind);
      unflushed += block.size();
      if (record && unflushed >= flush_every) record->flush(), unflushed = 0;
    }
  } catch (...) {
    failed = std::current_exception();
    queue.cancel();
  }
  reader.join();
  if (!failed) failed = queue.error();
  if (!queue.note().empty()) report.warning(queue.note());
  LiveRunResult result;
  result.stopped = stop.load();
  result.totals = engine.finish(report);
  if (record) record->close();
  if (failed) {
    std::string why = "error";
    try {
      std::rethrow_exception(failed);
    } catch (const std::exception& e) {
      why = std::string("error: ") + e.what();
    }
    report.summary(result.totals, why);
    std::rethrow_exception(failed);
  }
  report.summary(result.totals, result.stopped ? "stopped" : "end of input");
  return result;
}

}  // namespace soundlens
