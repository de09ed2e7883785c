// for_each_piece_side_by_side: every piece once, one intra-op thread each,
// the caller's thread count back afterwards, the first error rethrown.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "model/inference_workers.h"
#include "model/model.h"

namespace soundlens {
namespace {

struct Threads {
  int before = inference_threads();
  explicit Threads(int n) { set_inference_threads(n); }
  ~Threads() { set_inference_threads(before); }
};

TEST(InferenceWorkers, RunsEveryPieceOnceOnAsManyThreadsEachWithOneIntraOpThread) {
  const Threads two(2);
  std::vector<std::atomic<int>> runs(17);
  std::mutex m;
  std::set<std::thread::id> ids;
  std::set<int> intra;
  for_each_piece_side_by_side(17, [&](int i) {
    ++runs[size_t(i)];
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // long enough for both workers to take some
    const std::lock_guard lock(m);
    ids.insert(std::this_thread::get_id());
    intra.insert(inference_threads());
  });
  for (const auto& r : runs) EXPECT_EQ(r.load(), 1);
  EXPECT_EQ(ids.size(), 2u);
  EXPECT_EQ(intra, std::set<int>{1});
  EXPECT_EQ(inference_threads(), 2);
  // A thread started afterwards (a server's next request thread) still starts on the process's count.
  int later = 0;
  std::thread([&] { later = inference_threads(); }).join();
  EXPECT_EQ(later, 2);
}

TEST(InferenceWorkers, OneThreadRunsThePiecesInOrderOnTheCaller) {
  const Threads one(1);
  const auto caller = std::this_thread::get_id();
  std::vector<int> order;
  for_each_piece_side_by_side(5, [&](int i) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    order.push_back(i);
  });
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  for_each_piece_side_by_side(0, [&](int) { ADD_FAILURE() << "no piece to run"; });
  EXPECT_EQ(inference_threads(), 1);
}

TEST(InferenceWorkers, TheFirstErrorIsRethrownAndStopsThePiecesNotStarted) {
  for (const int threads : {1, 2}) {
    const Threads n(threads);
    std::atomic<int> started{0};
    try {
      for_each_piece_side_by_side(1000, [&](int i) {
        ++started;
        if (i == 3) throw std::runtime_error("piece 3 failed");
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      });
      ADD_FAILURE() << "no error";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "piece 3 failed");
    }
    EXPECT_LT(started.load(), 100) << threads << " threads";
    EXPECT_EQ(inference_threads(), threads);
  }
}

}  // namespace
}  // namespace soundlens
