#include "auth/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace soundlens::auth {
namespace {
constexpr auto minute = std::chrono::seconds(60);
}

RateLimiter::Window& RateLimiter::window_locked(const std::string& key_id, Clock::time_point now) {
  Window& window = windows_[key_id];
  if (window.start == Clock::time_point{} || now - window.start >= minute) window = Window{now};
  return window;
}

int RateLimiter::retry_after_s(const Window& window, Clock::time_point now) const {
  const double left = std::chrono::duration<double>(window.start + minute - now).count();
  return std::max(1, int(std::ceil(left)));
}

int RateLimiter::admit(const std::string& key_id, bool analyses_audio, Clock::time_point now) {
  if (limits_.requests_per_minute <= 0 && limits_.audio_seconds_per_minute <= 0) return 0;
  std::lock_guard lock(mutex_);
  Window& window = window_locked(key_id, now);
  if (limits_.requests_per_minute > 0 && window.requests >= limits_.requests_per_minute)
    return retry_after_s(window, now);
  if (analyses_audio && limits_.audio_seconds_per_minute > 0 && window.audio_s >= limits_.audio_seconds_per_minute)
    return retry_after_s(window, now);
  ++window.requests;
  return 0;
}

void RateLimiter::charge_audio(const std::string& key_id, double seconds, Clock::time_point now) {
  if (limits_.audio_seconds_per_minute <= 0 || !(seconds > 0)) return;
  std::lock_guard lock(mutex_);
  window_locked(key_id, now).audio_s += seconds;
}

}  // namespace soundlens::auth
