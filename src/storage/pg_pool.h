#pragma once
// A few PostgreSQL connections shared by the threads of one store: a thread
// takes one for a statement or a transaction and gives it back. Internal to storage.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/pg_db.h"

namespace soundlens::storage::pg {

class Pool {
 public:
  // Connects once at construction (so a bad conninfo fails at start); more
  // connections are opened on demand, up to max_size.
  Pool(std::string conninfo, int max_size);

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> connection) : pool_(pool), connection_(std::move(connection)) {}
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection* operator->() { return connection_.get(); }
    Connection& operator*() { return *connection_; }

   private:
    Pool& pool_;
    std::unique_ptr<Connection> connection_;
  };
  Lease take();
  const std::string& conninfo() const { return conninfo_; }

 private:
  void give_back(std::unique_ptr<Connection> connection);
  std::string conninfo_;
  int max_size_;
  int open_ = 0;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace soundlens::storage::pg
