#pragma once
// Limits on guessing passwords at web sign-in, per account and per client
// address, the way OWASP describes it (exponential back-off per account, with
// an exemption for the places the account's owner signs in from):
//
// - Every attempt counts as a failure until it succeeds (so that attempts
//   sent at once cannot slip past a count that their failures would raise).
// - Account: after `account_failures` failures of one name, from anywhere,
//   each further attempt from an address not known for that name waits
//   1, 2, 4, ... s (at most `max_backoff_s`) after the last one: 429 with
//   Retry-After, before the password is looked at. Failures are forgotten a
//   day after the last one.
// - Address: after `address_failures_per_minute` failures from one address in
//   a minute, its attempts for names it is not known for are refused until
//   the minute ends (password spraying, one guess per account).
// - Known address: one that signed in to that name before (within 30 days).
//   Neither limit applies to it, so neither an attacker elsewhere nor one
//   behind the same proxy failing on other accounts keeps the owner out. It
//   loses that standing after `account_failures` failures of its own in a row.
// Kept in memory, per process: a restart forgets addresses and counts. Thread-safe.
#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace soundlens::auth {

struct SignInLimits {
  int address_failures_per_minute = 10;
  int account_failures = 5;    // failures of one name before its back-off starts
  int max_backoff_s = 900;     // the longest wait between two attempts of a backed-off name
};

class SignInThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Refusal { none, account, address };

  // What admit() decided and counted; give it back to succeeded().
  struct Attempt {
    std::string name, address;
    int retry_after_s = 0;        // > 0: refused, retry then
    Refusal refused = Refusal::none;
    bool known_address = false;   // the address signed in to this name before
    bool first_refusal = false;   // the first refusal since the last admitted attempt (audit it, not every one)
    Clock::time_point counted_at;
  };

  explicit SignInThrottle(SignInLimits limits) : limits_(limits) {}

  // Decides whether `name` may be tried from `address` now; an admitted attempt is counted as failed.
  Attempt admit(const std::string& name, const std::string& address, Clock::time_point now = Clock::now());
  // The password was right: takes back the failure admit() counted and remembers the address for the name.
  void succeeded(const Attempt& attempt, Clock::time_point now = Clock::now());

  // Entries kept at most of each kind (names, addresses, known pairs); the oldest go first beyond it.
  static constexpr std::size_t max_entries = 100000;
  std::size_t entries();  // of all kinds, for tests

 private:
  struct Account {
    int failures = 0;
    Clock::time_point last;
    bool refusal_noted = false;
  };
  struct Window {
    Clock::time_point start;
    int failures = 0;
    bool refusal_noted = false;
  };
  struct Known {
    Clock::time_point last_success;
    int failures = 0;  // since that success
  };
  using Pair = std::pair<std::string, std::string>;  // name, address

  bool is_known_locked(const Pair& pair, Clock::time_point now);
  int account_wait_s(const Account& account, Clock::time_point now) const;
  void prune_locked(Clock::time_point now);

  SignInLimits limits_;
  std::mutex mutex_;
  std::map<std::string, Account> accounts_;
  std::map<std::string, Window> windows_;
  std::map<Pair, Known> known_;
};

}  // namespace soundlens::auth
