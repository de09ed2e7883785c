#include "storage/pg_pool.h"

#include <algorithm>

namespace soundlens::storage::pg {

Pool::Pool(std::string conninfo, int max_size) : conninfo_(std::move(conninfo)), max_size_(std::max(1, max_size)) {
  idle_.push_back(std::make_unique<Connection>(conninfo_));
  open_ = 1;
}

Pool::Lease::~Lease() { pool_.give_back(std::move(connection_)); }

Pool::Lease Pool::take() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty() || open_ < max_size_; });
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(*this, std::make_unique<Connection>(conninfo_));
  } catch (...) {
    std::lock_guard relock(mutex_);
    --open_;
    available_.notify_one();
    throw;
  }
}

void Pool::give_back(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  if (connection && connection->healthy()) idle_.push_back(std::move(connection));
  else --open_;  // a broken connection is dropped; the next take() opens a new one
  available_.notify_one();
}

}  // namespace soundlens::storage::pg
