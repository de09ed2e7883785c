#pragma once
// One live session of the service: PCM chunks in order (each with its
// sequence number), analysed as they arrive by the live engine of `soundlens
// live` (src/live/), its lines (the same JSON as `soundlens live --json`) kept
// in a bounded log that event streams read, and what was heard recorded to a
// FLAC file as it goes, for the analysis stored when the session ends.
// Memory stays flat in the session's length: one window of samples, the
// frames of one window, the last lines of the log.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/analysis.h"
#include "live/live_engine.h"
#include "live/live_files.h"
#include "live/live_report.h"
#include "service/live_request.h"

namespace soundlens::service {

struct LiveSessionSetup {
  std::string id;
  std::optional<std::int64_t> owner;  // nullopt: made with authentication off
  std::string owner_name, key_id;     // who made it: the stored analysis is audited in their name
  LiveSessionRequest request;
  std::shared_ptr<const Analyzer> analyzer;
  std::filesystem::path recording;  // the FLAC file written as it goes (removed with the session)
  double max_duration_s = 3600;     // the server's longest analysis: the session ends (stored) there
  std::size_t max_recording_bytes = 100u << 20;  // its upload limit: the same
  std::size_t max_log_lines = 2000;
};

// A chunk holds at most this much audio (at the session's rate and format).
inline constexpr double kMaxLiveChunkS = 10;
// Chunk requests a session may send without counting against --rate-limit-rpm: this many at once, and
// this many more per second of the session's life, while its audio is at most kFreeChunksAheadS ahead of
// the wall clock. Beyond (chunks faster than real time, or many tiny ones) each counts as a request.
inline constexpr double kFreeChunkBurst = 20, kFreeChunksPerS = 4, kFreeChunksAheadS = 10;
// The most classes a session watches.
inline constexpr std::size_t kMaxWatched = 32;

struct ChunkResult {
  long next_seq = 0;        // the sequence number the next chunk must carry
  double heard_s = 0;       // audio taken so far (32 kHz)
  long windows = 0, dropped = 0;
  bool full = false;        // the session reached the server's limit: stop it (it is stored then)
};

struct LogLines {
  std::vector<std::pair<long, std::string>> lines;  // (number, JSON), numbered from 1
  long first_kept = 1;  // lines before this were dropped from the log (a reader too slow)
  bool closed = false;  // the session has ended and every line is given
};

class LiveSession {
 public:
  explicit LiveSession(LiveSessionSetup setup);  // Error(bad_request) for classes or windows the model refuses
  ~LiveSession();
  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;

  const std::string& id() const { return setup_.id; }
  const std::optional<std::int64_t>& owner() const { return setup_.owner; }
  const LiveSessionRequest& request() const { return setup_.request; }
  const Analyzer& analyzer() const { return *setup_.analyzer; }
  std::shared_ptr<const Analyzer> analyzer_ptr() const { return setup_.analyzer; }
  const std::filesystem::path& recording() const { return setup_.recording; }

  // Chunk `seq` (0, 1, 2, ...): Error(bad_request) naming seq unless it is the next one (the error says
  // which is), the chunk's own errors (live_chunk.h); Error(gone) once the session has ended. A refused
  // chunk changes nothing.
  ChunkResult push(long seq, std::string_view bytes);
  // The end (idempotent): what was heard analysed to its end, events closed, the summary line, the
  // recording closed. Returns the seconds heard.
  double end(const std::string& ended_by);
  // Watches a class (by name or index) from now on; the watched classes' indexes. Error(bad_request) for
  // an unknown class or past kMaxWatched, Error(gone) once the session has ended.
  std::vector<int> watch(const std::string& name);
  // Whether the next chunk request is free of the requests-per-minute limit (see kFreeChunkBurst): taken
  // when it is. Every chunk request asks, whatever becomes of it.
  bool take_free_chunk_request();
  bool ended() const;
  double heard_s() const;
  std::chrono::steady_clock::time_point last_chunk_at() const;

  // Lines numbered above `after`, waiting up to `wait` for one.
  LogLines lines_after(long after, std::chrono::milliseconds wait) const;
  // A line of the service's own (stored, error), then, with `close`, no more lines.
  void add_line(const std::string& json, bool close);

  const std::string& owner_name() const { return setup_.owner_name; }
  const std::string& key_id() const { return setup_.key_id; }

  // What the stop gave (set once, under store_mutex by whoever stores): the stored analysis, or the
  // job that stores it.
  std::mutex store_mutex;
  std::string analysis_id;
  std::string job_id;
  std::optional<std::pair<int, std::string>> store_error;  // (ErrorCode as int, message)
  std::chrono::steady_clock::time_point ended_at;

 private:
  void drain_report();  // the report's new lines into the log
  LiveSessionSetup setup_;
  mutable std::mutex mutex_;  // the engine, the PCM, the recorder
  std::unique_ptr<PcmStream> pcm_;
  std::unique_ptr<LiveEngine> engine_;
  std::unique_ptr<Recorder> recorder_;
  std::ostringstream report_out_, report_err_;
  std::unique_ptr<LiveReport> report_;
  long next_seq_ = 0;
  std::size_t samples_ = 0;
  bool ended_ = false, was_behind_ = false;
  long windows_ = 0, dropped_ = 0;
  std::chrono::steady_clock::time_point last_chunk_at_;
  std::chrono::steady_clock::time_point created_at_ = std::chrono::steady_clock::now();
  double free_chunks_taken_ = 0;

  mutable std::mutex log_mutex_;
  mutable std::condition_variable log_changed_;
  std::deque<std::string> log_;
  long log_first_ = 1;  // the number of log_.front()
  bool log_closed_ = false;
};

}  // namespace soundlens::service
