#include "service/live_session.h"

#include <algorithm>
#include <filesystem>

#include "core/error.h"
#include "service/live_chunk.h"

namespace soundlens::service {
namespace {

constexpr int kRate = 32000;

// The report's lines, with the windows and drops counted on the way.
class CountingSink : public LiveSink {
 public:
  CountingSink(LiveReport& report, long& windows, long& dropped) : r_(report), windows_(windows), dropped_(dropped) {}
  void hop(const HopReport& h) override {
    ++windows_;
    dropped_ = h.dropped;
    r_.hop(h);
  }
  void event_started(const StreamedEvent& e) override { r_.event_started(e); }
  void event_ended(const StreamedEvent& e) override { r_.event_ended(e); }
  void warning(const std::string& message) override { r_.warning(message); }

 private:
  LiveReport& r_;
  long& windows_;
  long& dropped_;
};

std::string seconds_text(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", s);
  return text;
}

}  // namespace

LiveSession::LiveSession(LiveSessionSetup setup) : setup_(std::move(setup)) {
  auto& settings = setup_.request.settings;
  settings.watched.clear();
  for (const auto& name : setup_.request.classes) {
    const auto index = setup_.analyzer->labels().find(name);
    if (!index) throw Error(ErrorCode::bad_request, "class: unknown class " + quoted_value(name));
    settings.watched.push_back(*index);
  }
  pcm_ = std::make_unique<PcmStream>(setup_.request.format, setup_.request.rate, 1, kRate);
  engine_ = std::make_unique<LiveEngine>(*setup_.analyzer, settings);
  recorder_ = open_recorder(setup_.recording.string(), kRate);
  LiveReportOptions view;
  view.json = true;
  view.model = setup_.analyzer->model().info().name;
  view.window_s = settings.window_s;
  view.hop_s = settings.hop_s;
  report_ = std::make_unique<LiveReport>(report_out_, report_err_, view);
  last_chunk_at_ = std::chrono::steady_clock::now();
}

LiveSession::~LiveSession() {
  std::error_code ignored;
  std::filesystem::remove(setup_.recording, ignored);
}

ChunkResult LiveSession::push(long seq, std::string_view bytes) {
  std::lock_guard lock(mutex_);
  if (ended_) throw Error(ErrorCode::gone, "the live session has ended; its recording is stored at its stop");
  if (seq != next_seq_)
    throw Error(ErrorCode::bad_request,
                "seq " + std::to_string(seq) + " is out of order: " +
                    (seq < next_seq_ ? "that chunk was already received" : "chunks are missing before it") +
                    "; the next chunk is seq " + std::to_string(next_seq_));
  const std::size_t width = std::size_t(pcm_sample_bytes(setup_.request.format));
  check_live_chunk(bytes, setup_.request.format, std::size_t(kMaxLiveChunkS * setup_.request.rate) * width);
  std::vector<float> samples;
  const SampleSink collect = [&](std::span<const float> block) { samples.insert(samples.end(), block.begin(), block.end()); };
  pcm_->push({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, collect);
  ++next_seq_;
  last_chunk_at_ = std::chrono::steady_clock::now();
  CountingSink sink(*report_, windows_, dropped_);
  if (!samples.empty()) {
    recorder_->write(samples);
    // A chunk holding more than max_lag_s of audio means the client fell behind (it batched what waited):
    // the windows it completes are dropped and counted, as `soundlens live` drops them.
    const bool behind = setup_.request.max_lag_s > 0 && double(samples.size()) > setup_.request.max_lag_s * kRate;
    if (behind && !was_behind_)
      sink.warning("the session is behind real time (a chunk of " + seconds_text(double(samples.size()) / kRate) +
                   " s): dropping its windows until it catches up");
    was_behind_ = behind;
    engine_->push(samples, sink, behind);
    dropped_ = engine_->dropped_windows();
    samples_ += samples.size();
    recorder_->flush();
  }
  drain_report();
  ChunkResult r;
  r.next_seq = next_seq_;
  r.heard_s = double(samples_) / kRate;
  r.windows = windows_;
  r.dropped = dropped_;
  std::error_code ec;
  const auto bytes_on_disk = std::filesystem::file_size(setup_.recording, ec);
  r.full = r.heard_s >= setup_.max_duration_s || (!ec && bytes_on_disk >= setup_.max_recording_bytes * 9 / 10);
  return r;
}

double LiveSession::end(const std::string& ended_by) {
  std::lock_guard lock(mutex_);
  if (ended_) return double(samples_) / kRate;
  ended_ = true;
  ended_at = std::chrono::steady_clock::now();
  CountingSink sink(*report_, windows_, dropped_);
  std::vector<float> tail;
  pcm_->finish([&](std::span<const float> block) { tail.insert(tail.end(), block.begin(), block.end()); });
  if (!tail.empty()) {
    recorder_->write(tail);
    engine_->push(tail, sink);
    samples_ += tail.size();
  }
  const LiveTotals totals = samples_ > 0 ? engine_->finish(sink) : LiveTotals{};
  recorder_->close();
  report_->summary(totals, ended_by);
  drain_report();
  return double(samples_) / kRate;
}

std::vector<int> LiveSession::watch(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (ended_) throw Error(ErrorCode::gone, "the live session has ended");
  const auto index = setup_.analyzer->labels().find(name);
  if (!index) throw Error(ErrorCode::bad_request, "class: unknown class " + quoted_value(name));
  auto& watched = setup_.request.settings.watched;
  if (std::find(watched.begin(), watched.end(), *index) == watched.end()) {
    if (watched.size() >= kMaxWatched)
      throw Error(ErrorCode::bad_request, "class: a session watches at most " + std::to_string(kMaxWatched) + " classes");
    engine_->watch(*index);
    watched.push_back(*index);
    setup_.request.classes.push_back(setup_.analyzer->labels().name(*index));  // asked of the stored analysis too
  }
  return watched;
}

bool LiveSession::take_free_chunk_request() {
  std::lock_guard lock(mutex_);
  const double alive_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - created_at_).count();
  if (double(samples_) / kRate > alive_s + kFreeChunksAheadS) return false;  // ahead of real time
  if (free_chunks_taken_ + 1 > kFreeChunkBurst + kFreeChunksPerS * alive_s) return false;
  free_chunks_taken_ += 1;
  return true;
}

bool LiveSession::ended() const {
  std::lock_guard lock(mutex_);
  return ended_;
}

double LiveSession::heard_s() const {
  std::lock_guard lock(mutex_);
  return double(samples_) / kRate;
}

std::chrono::steady_clock::time_point LiveSession::last_chunk_at() const {
  std::lock_guard lock(mutex_);
  return last_chunk_at_;
}

void LiveSession::drain_report() {
  std::string text = report_out_.str();
  report_out_.str({});
  report_out_.clear();
  std::lock_guard lock(log_mutex_);
  std::size_t at = 0;
  for (std::size_t nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) {
    if (nl > at) log_.push_back(text.substr(at, nl - at));
  }
  while (log_.size() > setup_.max_log_lines) log_.pop_front(), ++log_first_;
  log_changed_.notify_all();
}

void LiveSession::add_line(const std::string& json, bool close) {
  std::lock_guard lock(log_mutex_);
  if (log_closed_) return;
  log_.push_back(json);
  while (log_.size() > setup_.max_log_lines) log_.pop_front(), ++log_first_;
  log_closed_ = close;
  log_changed_.notify_all();
}

LogLines LiveSession::lines_after(long after, std::chrono::milliseconds wait) const {
  std::unique_lock lock(log_mutex_);
  const auto last = [&] { return log_first_ + long(log_.size()) - 1; };
  log_changed_.wait_for(lock, wait, [&] { return last() > after || log_closed_; });
  LogLines out;
  out.first_kept = log_first_;
  for (long n = std::max(after + 1, log_first_); n <= last(); ++n) out.lines.emplace_back(n, log_[std::size_t(n - log_first_)]);
  out.closed = log_closed_;
  return out;
}

}  // namespace soundlens::service
