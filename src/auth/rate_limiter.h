#pragma once
// Per-key limits: requests per minute, counted in a fixed one-minute window
// per key, and seconds of analysed audio per minute, a budget that refills at
// that rate (a leaky bucket): a recording is charged when it is admitted, so a
// long one keeps its key waiting until the budget has refilled past it.
// Thread-safe.
#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace soundlens::auth {

struct RateLimits {
  int requests_per_minute = 0;           // 0 = unlimited
  double audio_seconds_per_minute = 0;   // 0 = unlimited
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RateLimiter(RateLimits limits) : limits_(limits) {}

  // 0 when the request may go on (it is counted), else the seconds until it
  // may be retried. A request that analyses audio is also refused while the
  // key's audio budget is spent.
  int admit(const std::string& key_id, bool analyses_audio, Clock::time_point now = Clock::now());
  // Charges `seconds` of audio at admission, checked and counted at once (two
  // requests at the same moment cannot both take the last of the budget):
  // 0 when charged, else the seconds until it would be. Charged when it fits
  // in what is left of the minute's budget, or when nothing is owed (a
  // recording longer than the budget is admitted alone, and its key then waits
  // for the budget to refill past it).
  int try_charge_audio(const std::string& key_id, double seconds, Clock::time_point now = Clock::now());
  // Counts audio unconditionally (a correction once the true length is known).
  void charge_audio(const std::string& key_id, double seconds, Clock::time_point now = Clock::now());
  // Gives back what was charged for work that failed.
  void refund_audio(const std::string& key_id, double seconds, Clock::time_point now = Clock::now());
  bool limits_audio() const { return limits_.audio_seconds_per_minute > 0; }

 private:
  struct Window {
    Clock::time_point start;
    int requests = 0;
  };
  struct AudioBudget {
    Clock::time_point at;  // when `owed` was last brought up to date
    double owed = 0;       // seconds charged and not yet refilled
  };
  Window& window_locked(const std::string& key_id, Clock::time_point now);
  AudioBudget& audio_locked(const std::string& key_id, Clock::time_point now);
  int retry_after_s(const Window& window, Clock::time_point now) const;
  // Seconds until `owed` has refilled down to `target`.
  int audio_retry_after_s(double owed, double target) const;

  RateLimits limits_;
  std::mutex mutex_;
  std::map<std::string, Window> windows_;
  std::map<std::string, AudioBudget> audio_;
};

}  // namespace soundlens::auth
