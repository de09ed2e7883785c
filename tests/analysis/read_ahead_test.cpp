// read_ahead decodes on a thread of its own: the sink gets the reader's blocks
// in order, the queue between them stays bounded, and an error on either side
// ends both and reaches the caller.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "analysis/read_ahead.h"
#include "core/error.h"
#include "test_paths.h"

namespace soundlens {
namespace {

TEST(ReadAhead, HandsOnTheReadersBlocksInOrderAndItsSource) {
  const std::string path = test::shared_audio("awkward/04_long_90s_concat.wav");
  std::vector<std::vector<float>> direct, ahead;
  const auto keep = [](std::vector<std::vector<float>>& into) {
    return [&into](std::span<const float> b) { into.emplace_back(b.begin(), b.end()); };
  };
  const AudioSource want = file_reader(path)(keep(direct));
  const AudioSource got = read_ahead(file_reader(path))(keep(ahead));
  ASSERT_GT(direct.size(), 10u);
  EXPECT_EQ(ahead, direct);
  EXPECT_EQ(got.codec, want.codec);
  EXPECT_EQ(got.duration_s, want.duration_s);
  EXPECT_EQ(got.sample_rate, want.sample_rate);
}

TEST(ReadAhead, TheReaderWaitsForASlowSinkWithinTheBound) {
  std::atomic<std::size_t> given{0}, taken{0}, most_ahead{0};
  const SampleReader reader = [&](const SampleSink& sink) {
    std::vector<float> block(1000, 0.5f);
    for (int i = 0; i < 100; ++i) {
      sink(block);
      given += block.size();
    }
    return AudioSource{};
  };
  read_ahead(reader, 5000)([&](std::span<const float> b) {
    most_ahead = std::max<std::size_t>(most_ahead, given - taken);
    std::this_thread::sleep_for(std::chrono::microseconds(300));
    taken += b.size();
  });
  EXPECT_EQ(taken, 100000u);
  // The queue's 5000 samples, the block being handed on and the one being pushed.
  EXPECT_LE(most_ahead, 7000u);
  EXPECT_GE(most_ahead, 3000u) << "the reader never got ahead: nothing was read ahead";
}

TEST(ReadAhead, ASinkThatStopsStopsTheReaderAndIsThrown) {
  std::atomic<int> pushed{0};
  const SampleReader endless = [&](const SampleSink& sink) {
    std::vector<float> block(100, 0.0f);
    for (;;) {
      sink(block);
      ++pushed;
    }
    return AudioSource{};
  };
  int seen = 0;
  EXPECT_THROW(read_ahead(endless, 1000)([&](std::span<const float>) {
                 if (++seen == 50) throw std::runtime_error("enough");
               }),
               std::runtime_error);
  EXPECT_EQ(seen, 50);
  EXPECT_LE(pushed.load(), 50 + 12) << "the reader went on after the sink stopped";
}

TEST(ReadAhead, AReadersErrorComesAfterTheBlocksBeforeIt) {
  const SampleReader failing = [](const SampleSink& sink) -> AudioSource {
    std::vector<float> block(10, 1.0f);
    for (int i = 0; i < 7; ++i) sink(block);
    throw Error(ErrorCode::unsupported_format, "corrupt frame at 0.7 s");
  };
  int blocks = 0;
  try {
    read_ahead(failing)([&](std::span<const float>) { ++blocks; });
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unsupported_format);
    EXPECT_STREQ(e.what(), "corrupt frame at 0.7 s");
  }
  EXPECT_EQ(blocks, 7);
}

TEST(ReadAhead, ARealDecodingErrorIsTheDecodersOwn) {
  const std::string path = test::shared_audio("awkward/04_long_90s_concat.wav");
  DecodeOptions limited;
  limited.time_limit_s = 1e-9;
  std::string direct, ahead;
  try {
    file_reader(path, limited)([](std::span<const float>) {});
  } catch (const Error& e) {
    direct = e.what();
  }
  try {
    read_ahead(file_reader(path, limited))([](std::span<const float>) {});
  } catch (const Error& e) {
    ahead = e.what();
  }
  EXPECT_FALSE(direct.empty());
  EXPECT_EQ(ahead, direct);
}

}  // namespace
}  // namespace soundlens
