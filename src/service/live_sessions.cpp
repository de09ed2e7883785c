#include "service/live_sessions.h"

#include <fstream>
#include <iterator>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "service/audit.h"
#include "service/job_work.h"

namespace soundlens::service {
namespace {

std::string random_id() {
  std::random_device device;  // the system's entropy source: ids are not guessable
  static constexpr char hex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 4; ++i) {  // 4 x 32 random bits: 32 hex digits
    const unsigned v = device();
    for (int b = 0; b < 4; ++b) id += hex[(v >> (8 * b)) & 0xf], id += hex[(v >> (8 * b + 4)) & 0xf];
  }
  return id;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::internal, "the session's recording cannot be read back");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string utc_name() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[64];
  std::strftime(text, sizeof text, "live-%Y%m%d-%H%M%S.flac", &tm);
  return text;
}

}  // namespace

LiveSessions::LiveSessions(std::shared_ptr<AnalysisPipeline> pipeline, LiveLimits limits, LiveStorage storage)
    : pipeline_(std::move(pipeline)), limits_(std::move(limits)), storage_(std::move(storage)) {
  if (limits_.work_dir.empty()) limits_.work_dir = std::filesystem::temp_directory_path() / "soundlens-live";
  std::filesystem::create_directories(limits_.work_dir);
  std::filesystem::permissions(limits_.work_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
  timeouts_ = std::thread([this] {
    std::unique_lock lock(stop_mutex_);
    while (!stop_changed_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_; })) {
      lock.unlock();
      check_timeouts();
      lock.lock();
    }
  });
}

LiveSessions::~LiveSessions() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_changed_.notify_all();
  timeouts_.join();
}

int LiveSessions::open_sessions() const {
  std::lock_guard lock(mutex_);
  int n = 0;
  for (const auto& [id, s] : sessions_) n += !s->ended();
  return n;
}

std::shared_ptr<LiveSession> LiveSessions::create(const LiveSessionRequest& request, std::optional<std::int64_t> owner,
                                                 const std::string& owner_name, const std::string& key_id) {
  LiveSessionSetup setup;
  setup.owner = owner;
  setup.owner_name = owner_name;
  setup.key_id = key_id;
  setup.request = request;
  setup.analyzer = pipeline_->analyzer(request.model);
  setup.max_duration_s = pipeline_->settings().max_duration_s;
  setup.max_recording_bytes = pipeline_->settings().max_upload_bytes;
  const int retry = int(std::max(1.0, std::min(limits_.idle_timeout_s, 60.0)));
  std::lock_guard lock(mutex_);
  int open = 0, mine = 0;
  for (const auto& [id, s] : sessions_) {
    if (s->ended()) continue;
    ++open;
    mine += owner && s->owner() == owner;
  }
  if (open >= limits_.max_sessions)
    throw Error(ErrorCode::quota_exceeded,
                "the server has " + std::to_string(open) + " live sessions open, its limit (--max-live-sessions " +
                    std::to_string(limits_.max_sessions) + "); retry when one ends",
                retry);
  if (owner && mine >= limits_.max_sessions_per_user)
    throw Error(ErrorCode::quota_exceeded,
                "you have " + std::to_string(mine) + " live sessions open, the limit per user "
                    "(--max-live-sessions-per-user " + std::to_string(limits_.max_sessions_per_user) +
                    "); stop one first",
                retry);
  setup.id = random_id();
  setup.recording = limits_.work_dir / (setup.id + ".flac");
  auto session = std::make_shared<LiveSession>(std::move(setup));
  sessions_[session->id()] = session;
  return session;
}

std::shared_ptr<LiveSession> LiveSessions::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second;
}

// The analysis made here, as the synchronous upload of the recording would be, audited as a job's is.
std::string LiveSessions::store_now(LiveSession& session, const AnalysisRequest& asked, const std::string& ended_by) {
  auto slot = storage_.enter_slot ? storage_.enter_slot() : nullptr;
  const std::string bytes = read_bytes(session.recording());
  const AnalysisPlan plan = pipeline_->plan(session.analyzer(), asked);
  const AnalysedUpload analysed = pipeline_->analyse_upload(session.analyzer(), bytes, plan);
  const std::string id = pipeline_->store_analysis(analysed, plan, utc_name(), bytes, session.owner()).stored.id;
  AuditRecord record;
  record.user_id = session.owner();
  record.user_name = session.owner_name();
  record.key_id = session.key_id();
  record.action = "create";
  record.analysis_id = id;
  record.detail = "live session " + session.id() + " (" + ended_by + ")";
  append_audit(storage_.audit.get(), record);
  return id;
}

LiveStopped LiveSessions::stop(LiveSession& session, const std::string& ended_by) {
  std::lock_guard lock(session.store_mutex);
  if (!session.analysis_id.empty() || !session.job_id.empty()) return {session.job_id, session.analysis_id};
  if (session.store_error) throw Error(ErrorCode(session.store_error->first), session.store_error->second);
  const double heard_s = session.end(ended_by);
  try {
    if (heard_s <= 0) throw Error(ErrorCode::empty_audio, "the live session heard nothing: there is nothing to store");
    AnalysisRequest asked;
    asked.model = session.request().model;
    asked.options.classes = session.request().classes;  // with those pinned during the session
    asked.options.top_k = session.request().settings.top_k;
    // Events from the session's own windows: the offline events live agrees with (docs/live.md).
    asked.events = session.request().settings.events;
    if (storage_.jobs) {
      // A job as an upload's: the server's privacy promised with it, run and audited by the job runner
      // in the name of the session's maker. Its audio was charged as it arrived: the job charges nothing.
      JobRecord job;
      job.filename = utc_name();
      job.parameters_json = job_parameters(pipeline_->promise(asked));
      job.owner = session.owner();
      job.owner_name = session.owner_name();
      job.key_id = session.key_id();
      const std::string bytes = read_bytes(session.recording());
      // No per-user queue quota: what was heard is never refused (the sessions' own limits bound it).
      session.job_id = storage_.jobs
                           ->submit(std::move(job), {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()})
                           .id;
    } else {
      session.analysis_id = store_now(session, asked, ended_by);
    }
  } catch (const Error& e) {
    session.store_error = {int(e.code()), e.what()};
    session.add_line(nlohmann::json{{"type", "error"}, {"code", error_code_name(e.code())}, {"message", e.what()}}
                         .dump(),
                     true);
    throw;
  } catch (const std::exception& e) {
    session.store_error = {int(ErrorCode::internal), e.what()};
    session.add_line(nlohmann::json{{"type", "error"}, {"code", "internal"}, {"message", "the session could not be stored"}}
                         .dump(),
                     true);
    throw;
  }
  // The working file goes before anyone is told: the store (or the job's upload) has its own copy, or none.
  std::error_code ignored;
  std::filesystem::remove(session.recording(), ignored);
  if (!session.job_id.empty())
    session.add_line(nlohmann::json{{"type", "job"}, {"job_id", session.job_id}}.dump(), true);
  else
    session.add_line(nlohmann::json{{"type", "stored"}, {"analysis_id", session.analysis_id}}.dump(), true);
  return {session.job_id, session.analysis_id};
}

void LiveSessions::check_timeouts() {
  std::vector<std::shared_ptr<LiveSession>> stalled;
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      auto& s = it->second;
      if (!s->ended() && now - s->last_chunk_at() > std::chrono::duration<double>(limits_.idle_timeout_s))
        stalled.push_back(s);
      // Forgotten a while after it ended (and was stored or failed: a stop in progress holds store_mutex).
      const bool settled = s->ended() && now - s->ended_at > std::chrono::duration<double>(limits_.keep_ended_s);
      if (settled && s->store_mutex.try_lock()) {
        s->store_mutex.unlock();
        it = sessions_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (const auto& s : stalled) {
    try {
      stop(*s, "idle timeout");
    } catch (const std::exception&) {
      // Said on the session's event stream; a later stop answers the same error.
    }
  }
}

}  // namespace soundlens::service
