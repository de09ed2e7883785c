#include "model/inference_workers.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "model/model.h"

namespace soundlens {
namespace {

// Threads kept for the process's life, each set once to one intra-op thread:
// setting a thread's count clears oneDNN's cached primitives, and a new
// thread starts on a cold heap arena, both measurable on a 15 ms explanation.
// Tasks never wait on other tasks, so callers sharing the pool only queue.
class Workers {
 public:
  static Workers& instance() {
    static auto* workers = new Workers;  // never destroyed: its threads wait for work until the process ends
    return *workers;
  }

  // Runs task on `count` pool threads at once (fewer if no thread can be made) and returns when all have returned.
  void run(int count, const std::function<void()>& task) {
    std::mutex done_mutex;
    std::condition_variable done;
    int remaining = 0;
    {
      const std::lock_guard lock(mutex_);
      while (int(threads_.size()) < count) {
        try {
          threads_.emplace_back([this] { serve(); });
        } catch (const std::system_error&) {
          if (threads_.empty()) throw;
          break;
        }
      }
      remaining = std::min<int>(count, int(threads_.size()));
      for (int i = 0; i < remaining; ++i)
        queue_.push_back([&] {
          task();
          const std::lock_guard done_lock(done_mutex);
          if (--remaining == 0) done.notify_one();
        });
    }
    wake_.notify_all();
    std::unique_lock done_lock(done_mutex);
    done.wait(done_lock, [&] { return remaining == 0; });
  }

 private:
  void serve() {
    // One intra-op thread here only: LibTorch's own setter would also make 1 the default of every thread
    // that starts later (a server's request threads). LibTorch's first call on a thread sets it to the
    // default, so that comes first.
    (void)inference_threads();
    omp_set_num_threads(1);
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return !queue_.empty(); });
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
};

}  // namespace

void for_each_piece_side_by_side(int pieces, const std::function<void(int)>& piece) {
  if (pieces <= 0) return;
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  const auto work = [&] {
    for (int i = next++; i < pieces && !failed; i = next++) {
      try {
        piece(i);
      } catch (...) {
        const std::lock_guard lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed = true;
      }
    }
  };
  const int threads = inference_threads();
  if (threads <= 1)
    work();  // already one intra-op thread (and so inside a piece: no nesting)
  else
    Workers::instance().run(std::min(threads, pieces), work);
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace soundlens
