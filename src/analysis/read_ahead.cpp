#include "analysis/read_ahead.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace soundlens {
namespace {

// Thrown inside the decoding thread when the sink side has stopped.
struct SinkStopped {};

class BlockQueue {
 public:
  explicit BlockQueue(std::size_t capacity) : capacity_(capacity) {}

  // Decoding side: false once the sink side has stopped.
  bool push(std::span<const float> block) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stopped_ || queued_ == 0 || queued_ + block.size() <= capacity_; });
    if (stopped_) return false;
    blocks_.emplace_back(block.begin(), block.end());
    queued_ += block.size();
    changed_.notify_all();
    return true;
  }
  void finish(std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    finished_ = true;
    error_ = std::move(error);
    changed_.notify_all();
  }

  // Sink side: the next block, or nothing at the end (the reader's error, if any, is then thrown).
  std::optional<std::vector<float>> pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !blocks_.empty() || finished_; });
    if (blocks_.empty()) {
      if (error_) std::rethrow_exception(error_);
      return std::nullopt;
    }
    std::vector<float> block = std::move(blocks_.front());
    blocks_.pop_front();
    queued_ -= block.size();
    changed_.notify_all();
    return block;
  }
  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;  // waits block: nothing spins
  std::deque<std::vector<float>> blocks_;
  std::size_t capacity_, queued_ = 0;
  bool stopped_ = false, finished_ = false;
  std::exception_ptr error_;
};

}  // namespace

SampleReader read_ahead(SampleReader reader, std::size_t queued_samples) {
  return [reader = std::move(reader), queued_samples](const SampleSink& sink) {
    BlockQueue queue(queued_samples);
    AudioSource source;
    std::thread decoding([&] {
      try {
        source = reader([&](std::span<const float> block) {
          if (!queue.push(block)) throw SinkStopped{};
        });
        queue.finish(nullptr);
      } catch (const SinkStopped&) {
        queue.finish(nullptr);
      } catch (...) {
        queue.finish(std::current_exception());
      }
    });
    try {
      while (auto block = queue.pop()) sink(*block);
    } catch (...) {
      queue.stop();
      decoding.join();
      throw;
    }
    decoding.join();
    return source;
  };
}

}  // namespace soundlens
