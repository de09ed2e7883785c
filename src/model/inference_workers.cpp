#include "model/inference_workers.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "model/model.h"

namespace soundlens {

void for_each_piece_side_by_side(int pieces, const std::function<void(int)>& piece) {
  if (pieces <= 0) return;
  const int threads = inference_threads();
  const int workers = std::min(threads, pieces);
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
  std::vector<std::thread> others;
  for (int w = 1; w < workers; ++w) {
    try {
      others.emplace_back([&] {
        set_inference_threads(1);
        work();
      });
    } catch (const std::system_error&) {
      break;  // no thread to be had: fewer workers
    }
  }
  if (threads > 1) set_inference_threads(1);
  work();
  for (auto& t : others) t.join();
  if (threads > 1) set_inference_threads(threads);
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace soundlens
