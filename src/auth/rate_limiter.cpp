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

RateLimiter::AudioBudget& RateLimiter::audio_locked(const std::string& key_id, Clock::time_point now) {
  AudioBudget& budget = audio_[key_id];
  if (budget.at != Clock::time_point{} && now > budget.at) {
    const double refilled = std::chrono::duration<double>(now - budget.at).count() *
                            limits_.audio_seconds_per_minute / 60.0;
    budget.owed = std::max(0.0, budget.owed - refilled);
  }
  budget.at = std::max(budget.at, now);
  return budget;
}

int RateLimiter::retry_after_s(const Window& window, Clock::time_point now) const {
  const double left = std::chrono::duration<double>(window.start + minute - now).count();
  return std::max(1, int(std::ceil(left)));
}

int RateLimiter::audio_retry_after_s(double owed, double target) const {
  const double seconds = (owed - std::max(0.0, target)) * 60.0 / limits_.audio_seconds_per_minute;
  return std::max(1, int(std::ceil(seconds)));
}

int RateLimiter::admit(const std::string& key_id, bool analyses_audio, Clock::time_point now) {
  if (limits_.requests_per_minute <= 0 && limits_.audio_seconds_per_minute <= 0) return 0;
  std::lock_guard lock(mutex_);
  Window& window = window_locked(key_id, now);
  if (limits_.requests_per_minute > 0 && window.requests >= limits_.requests_per_minute)
    return retry_after_s(window, now);
  if (analyses_audio && limits_audio()) {
    const AudioBudget& budget = audio_locked(key_id, now);
    if (budget.owed >= limits_.audio_seconds_per_minute)
      return audio_retry_after_s(budget.owed, limits_.audio_seconds_per_minute * (1 - 1e-9));
  }
  ++window.requests;
  return 0;
}

int RateLimiter::try_charge_audio(const std::string& key_id, double seconds, Clock::time_point now) {
  if (!limits_audio() || !(seconds > 0)) return 0;
  std::lock_guard lock(mutex_);
  AudioBudget& budget = audio_locked(key_id, now);
  const double limit = limits_.audio_seconds_per_minute;
  if (budget.owed > 1e-9 && budget.owed + seconds > limit)
    return audio_retry_after_s(budget.owed, seconds >= limit ? 0.0 : limit - seconds);
  budget.owed += seconds;
  return 0;
}

void RateLimiter::charge_audio(const std::string& key_id, double seconds, Clock::time_point now) {
  if (!limits_audio() || !(seconds > 0)) return;
  std::lock_guard lock(mutex_);
  audio_locked(key_id, now).owed += seconds;
}

void RateLimiter::refund_audio(const std::string& key_id, double seconds, Clock::time_point now) {
  if (!limits_audio() || !(seconds > 0)) return;
  std::lock_guard lock(mutex_);
  AudioBudget& budget = audio_locked(key_id, now);
  budget.owed = std::max(0.0, budget.owed - seconds);
}

}  // namespace soundlens::auth
