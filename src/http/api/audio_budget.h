#pragma once
// The audio-seconds budget of each API key (--rate-limit-audio-s), charged
// when work is admitted, not when it is done: a synchronous upload with its
// decoded length before it is analysed, a job or a batch with the length its
// container states when it is accepted (corrected once decoded). Work that
// fails gives its seconds back. Internal to http.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "auth/rate_limiter.h"
#include "http/server/http_types.h"

namespace soundlens::http {

struct ServiceState;

// Seconds charged to a key; given back when destroyed unless kept (or handed to a job).
class AudioCharge {
 public:
  AudioCharge() = default;  // nothing charged: no key, or no budget
  AudioCharge(auth::RateLimiter& limiter, std::string key_id, double seconds)
      : limiter_(&limiter), key_id_(std::move(key_id)), seconds_(seconds) {}
  AudioCharge(AudioCharge&& other) noexcept { *this = std::move(other); }
  AudioCharge& operator=(AudioCharge&& other) noexcept;
  ~AudioCharge() { refund(); }

  // The work was done: the charge stands, corrected to what was in fact analysed.
  void keep(double analysed_s);
  // The work became a job: the job holds the charge now (see JobAudioCharges).
  void hand_to_job(ServiceState& state, const std::string& job_id, double seconds);
  void refund();

 private:
  auth::RateLimiter* limiter_ = nullptr;
  std::string key_id_;
  double seconds_ = 0;
};

// What each job accepted in this process was charged, until it ends: then it
// is corrected to the decoded length (done) or given back (failed, cancelled).
// A job run by another process (PostgreSQL) keeps its admission charge.
class JobAudioCharges {
 public:
  void add(const std::string& job_id, const std::string& key_id, double seconds);
  void done(auth::RateLimiter& limiter, const std::string& job_id, double analysed_s);
  void failed(auth::RateLimiter& limiter, const std::string& job_id);

 private:
  struct Charge {
    std::string key_id;
    double seconds = 0;
  };
  std::optional<Charge> take(const std::string& job_id);  // removed from the map
  std::mutex mutex_;
  std::map<std::string, Charge> charges_;
};

// Whether this request's key has an audio budget to charge.
bool audio_budget_applies(const ServiceState& state, const Request& request);
// Charges `seconds` to the caller's key, or throws Error(rate_limited) with Retry-After
// naming the limit. Nothing is charged when no budget applies.
AudioCharge charge_audio_s(ServiceState& state, const Request& request, double seconds);
// How long an upload lasts without analysing it (see memory_duration_s).
double upload_duration_s(const ServiceState& state, std::string_view bytes);

}  // namespace soundlens::http
