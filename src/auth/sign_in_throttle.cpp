#include "auth/sign_in_throttle.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace soundlens::auth {
namespace {

using Clock = SignInThrottle::Clock;
constexpr auto minute = std::chrono::minutes(1);
constexpr auto forget_failures_after = std::chrono::hours(24);
constexpr auto known_for = std::chrono::hours(24 * 30);

int seconds_until(Clock::time_point then, Clock::time_point now) {
  return std::max(1, int(std::ceil(std::chrono::duration<double>(then - now).count())));
}

// Drops what has expired and, if the map is still over `max`, its oldest tenth:
// many names or addresses tried once cannot grow the memory without bound.
template <typename Map, typename Time>
void prune(Map& map, std::size_t max, Clock::time_point cutoff, Time time_of) {
  if (map.size() <= max) return;
  std::erase_if(map, [&](const auto& entry) { return time_of(entry.second) < cutoff; });
  if (map.size() <= max) return;
  std::vector<Clock::time_point> times;
  times.reserve(map.size());
  for (const auto& [key, value] : map) times.push_back(time_of(value));
  auto nth = times.begin() + std::ptrdiff_t(times.size() / 10);
  std::nth_element(times.begin(), nth, times.end());
  const Clock::time_point oldest_kept = *nth;
  std::erase_if(map, [&](const auto& entry) { return time_of(entry.second) < oldest_kept; });
}

}  // namespace

bool SignInThrottle::is_known_locked(const Pair& pair, Clock::time_point now) {
  const auto it = known_.find(pair);
  if (it == known_.end()) return false;
  if (now - it->second.last_success > known_for) {
    known_.erase(it);
    return false;
  }
  return it->second.failures < limits_.account_failures;
}

// 0 while the name has had fewer failures than allowed, else the seconds left
// of 2^(failures - allowed) s (at most max_backoff_s) after its last attempt.
int SignInThrottle::account_wait_s(const Account& account, Clock::time_point now) const {
  const int over = account.failures - limits_.account_failures;
  if (over < 0) return 0;
  const double backoff = std::min(std::ldexp(1.0, std::min(over, 30)), double(limits_.max_backoff_s));
  const auto until = account.last + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(backoff));
  return now >= until ? 0 : seconds_until(until, now);
}

std::size_t SignInThrottle::entries() {
  std::lock_guard lock(mutex_);
  return accounts_.size() + windows_.size() + known_.size();
}

void SignInThrottle::prune_locked(Clock::time_point now) {
  prune(accounts_, max_entries, now - forget_failures_after, [](const Account& a) { return a.last; });
  prune(windows_, max_entries, now - minute, [](const Window& w) { return w.start; });
  prune(known_, max_entries, now - known_for, [](const Known& k) { return k.last_success; });
}

SignInThrottle::Attempt SignInThrottle::admit(const std::string& name, const std::string& address,
                                              Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Attempt attempt{name, address};
  attempt.counted_at = now;
  attempt.known_address = is_known_locked({name, address}, now);

  Window& window = windows_[address];
  if (window.start == Clock::time_point{} || now - window.start >= minute) window = Window{now};
  Account& account = accounts_[name];
  if (account.last != Clock::time_point{} && now - account.last >= forget_failures_after) account = Account{};

  if (attempt.known_address) {
    ++known_[{name, address}].failures;
  } else {
    if (window.failures >= limits_.address_failures_per_minute) {
      attempt.refused = Refusal::address;
      attempt.retry_after_s = seconds_until(window.start + minute, now);
      attempt.first_refusal = !std::exchange(window.refusal_noted, true);
    } else if (const int wait = account_wait_s(account, now); wait > 0) {
      attempt.refused = Refusal::account;
      attempt.retry_after_s = wait;
      attempt.first_refusal = !std::exchange(account.refusal_noted, true);
    }
    if (attempt.refused != Refusal::none) {
      if (account.last == Clock::time_point{}) accounts_.erase(name);  // nothing was counted for it
      return attempt;
    }
    ++account.failures;
    account.last = now;
    account.refusal_noted = false;
  }
  ++window.failures;
  window.refusal_noted = false;
  prune_locked(now);
  return attempt;
}

void SignInThrottle::succeeded(const Attempt& attempt, Clock::time_point now) {
  if (attempt.refused != Refusal::none) return;
  std::lock_guard lock(mutex_);
  if (!attempt.known_address) {
    // Only this attempt's own count is taken back: the failures before it stay.
    if (auto it = accounts_.find(attempt.name); it != accounts_.end() && it->second.failures > 0)
      --it->second.failures;
  }
  if (auto it = windows_.find(attempt.address);
      it != windows_.end() && it->second.start <= attempt.counted_at && it->second.failures > 0)
    --it->second.failures;
  known_[{attempt.name, attempt.address}] = Known{now, 0};
  prune_locked(now);
}

}  // namespace soundlens::auth
