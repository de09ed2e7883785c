#pragma once
// Long results computed on request (explanations) are computed once for all
// the identical requests in flight, and only while someone still waits for
// them: the first request of a key runs the work on its own thread; later
// ones with the same key wait for its result. Each request's connection is
// watched (client_watch.h); a client that hangs up stops waiting at once, and
// when every client of a key has gone the work's token is cancelled, so its
// loops stop within a batch of passes. Internal to http.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/cancel_token.h"
#include "http/server/client_watch.h"

namespace soundlens::http {

class SharedWork {
 public:
  explicit SharedWork(ClientWatch& watch) : watch_(watch) {}

  // The result of `work` for `key`, shared with identical requests in flight.
  // `client_fd`: the asking request's connection (-1: not watched). `work`
  // gets the token to check; its errors reach every waiter. A request whose
  // client has gone gets Error(cancelled).
  std::string run(const std::string& key, int client_fd, const std::function<std::string(CancelToken&)>& work);

  // Keys being computed now (for tests and /health-like reports).
  std::size_t in_flight() const;

 private:
  struct Flight;
  ClientWatch& watch_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Flight>> flights_;
};

}  // namespace soundlens::http
