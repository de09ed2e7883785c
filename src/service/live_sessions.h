#pragma once
// The live sessions of a server: created within the limits (all sessions, and
// per user), found by id, stopped into a stored analysis, and ended by a
// timeout when their client stalls (stored up to where it was). The stored
// analysis is the recording's, analysed and stored as an upload of it is
// (pipeline.h): the same report, exports, privacy (redaction before storing,
// no audio kept with --store-audio no), owner and audit record. With a job
// runner the stop returns at once and the analysis is a job (its progress
// followed as any job's); without one the stop analyses and stores it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "jobs/job_runner.h"
#include "service/live_session.h"
#include "service/pipeline.h"
#include "storage/auth_store.h"

namespace soundlens::service {

struct LiveLimits {
  int max_sessions = 8;           // open at once on this server
  int max_sessions_per_user = 2;  // open at once per user (with authentication)
  double idle_timeout_s = 30;     // no chunk for this long: the session ends, stored
  double keep_ended_s = 600;      // an ended session answers (its stored id) this long
  std::filesystem::path work_dir; // where recordings are written while sessions run
};

// What a stop needs from its caller: a slot to analyse in (the server's admission gate; may wait).
using EnterSlot = std::function<std::shared_ptr<void>()>;

// Where a stopped session's recording goes.
struct LiveStorage {
  std::shared_ptr<JobRunner> jobs;   // the analysis as a job of these (null: made in the stop)
  std::shared_ptr<AuthStore> audit;  // the audit log of an analysis made in the stop (a job audits its own)
  EnterSlot enter_slot;              // a slot for an analysis made in the stop
};

// What a stop gave: the job storing the session's analysis, or the analysis itself.
struct LiveStopped {
  std::string job_id;       // empty: stored in the stop
  std::string analysis_id;  // empty: the job has not stored it yet
};

class LiveSessions {
 public:
  LiveSessions(std::shared_ptr<AnalysisPipeline> pipeline, LiveLimits limits, LiveStorage storage);
  ~LiveSessions();  // stops the timeout thread; open sessions end unstored (the process is going away)

  // Error(quota_exceeded) with a Retry-After at either limit; the request's and the model's errors.
  // owner_name, key_id: who the audit log names for its stored analysis.
  std::shared_ptr<LiveSession> create(const LiveSessionRequest& request, std::optional<std::int64_t> owner,
                                      const std::string& owner_name = "", const std::string& key_id = "");
  std::shared_ptr<LiveSession> find(const std::string& id) const;  // null: unknown (or forgotten)
  // Ends the session if it is open and stores its analysis: as a job (returned at once, its id) or
  // made here (its id). Every stop of a session answers the same. Whoever stops it (the user, the idle
  // timeout, the server's limit), the analysis is audited in the name of the session's maker. The
  // errors (e.g. nothing heard: empty_audio; the job store's) are rethrown, and said on the session's log.
  LiveStopped stop(LiveSession& session, const std::string& ended_by);
  int open_sessions() const;
  const LiveLimits& limits() const { return limits_; }
  // One pass of the timeout check (the thread calls it every 0.5 s; tests call it directly).
  void check_timeouts();

 private:
  std::string store_now(LiveSession& session, const AnalysisRequest& asked, const std::string& ended_by);
  std::shared_ptr<AnalysisPipeline> pipeline_;
  LiveLimits limits_;
  LiveStorage storage_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<LiveSession>> sessions_;
  std::mutex stop_mutex_;
  std::condition_variable stop_changed_;
  bool stopping_ = false;
  std::thread timeouts_;
};

}  // namespace soundlens::service
