#pragma once
// Per-key limits: requests per minute and seconds of analysed audio per
// minute, each counted in a fixed one-minute window per key. Thread-safe.
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
  // key's audio budget of this minute is spent.
  int admit(const std::string& key_id, bool analyses_audio, Clock::time_point now = Clock::now());
  // Counts the audio a finished analysis took against its key.
  void charge_audio(const std::string& key_id, double seconds, Clock::time_point now = Clock::now());

 private:
  struct Window {
    Clock::time_point start;
    int requests = 0;
    double audio_s = 0;
  };
  Window& window_locked(const std::string& key_id, Clock::time_point now);
  int retry_after_s(const Window& window, Clock::time_point now) const;

  RateLimits limits_;
  std::mutex mutex_;
  std::map<std::string, Window> windows_;
};

}  // namespace soundlens::auth
