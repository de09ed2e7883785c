#include "http/api/shared_work.h"

#include <condition_variable>
#include <exception>
#include <optional>

#include "core/error.h"

namespace soundlens::http {

struct SharedWork::Flight {
  CancelToken token;
  std::mutex mutex;  // guards the rest
  std::condition_variable finished;
  bool done = false;
  std::optional<std::string> result;
  std::exception_ptr error;
  int clients = 0;  // requests that asked and have not gone

  // On the watcher's thread: one asking client hung up.
  void client_gone(bool& gone) {
    std::lock_guard lock(mutex);
    if (gone || done) return;
    gone = true;
    if (--clients == 0)
      token.cancel(ErrorCode::cancelled, "every client that asked for this result went away");
    finished.notify_all();
  }
};

std::string SharedWork::run(const std::string& key, int client_fd,
                            const std::function<std::string(CancelToken&)>& work) {
  std::shared_ptr<Flight> flight;
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    auto& slot = flights_[key];
    // A flight whose clients have all gone is being stopped: start afresh.
    if (!slot || slot->token.cancelled()) {
      slot = std::make_shared<Flight>();
      first = true;
    }
    flight = slot;
    std::lock_guard flight_lock(flight->mutex);
    ++flight->clients;
  }
  auto gone = std::make_shared<bool>(false);  // guarded by flight->mutex
  const auto watching = client_fd >= 0 ? std::optional(watch_.watch(client_fd, ClientWatch::Clock::time_point::max(),
                                                                    [flight, gone] { flight->client_gone(*gone); }))
                                       : std::nullopt;
  if (first) {
    std::optional<std::string> result;
    std::exception_ptr error;
    try {
      result = work(flight->token);
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      const auto it = flights_.find(key);
      if (it != flights_.end() && it->second == flight) flights_.erase(it);
    }
    {
      std::lock_guard lock(flight->mutex);
      flight->done = true;
      flight->result = result;
      flight->error = error;
    }
    flight->finished.notify_all();
    if (error) std::rethrow_exception(error);
    return std::move(*result);
  }
  std::unique_lock lock(flight->mutex);
  flight->finished.wait(lock, [&] { return flight->done || *gone; });
  if (!flight->done) throw Error(ErrorCode::cancelled, "the client went away");
  if (flight->error) std::rethrow_exception(flight->error);
  return *flight->result;
}

std::size_t SharedWork::in_flight() const {
  std::lock_guard lock(mutex_);
  return flights_.size();
}

}  // namespace soundlens::http
