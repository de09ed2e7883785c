// The server decodes several uploads at once: concurrent decodes (including
// failing ones) must give exactly the serial results.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "audio/audio.h"
#include "audio_test_support.h"
#include "core/error.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {

TEST(AudioThreads, ConcurrentDecodesMatchSerialOnes) {
  const std::vector<std::string> files = {
      shared_audio("awkward/01_stereo_44k1_coughing.mp3"), shared_audio("awkward/02_vorbis_44k1_dog.ogg"),
      shared_audio("awkward/06_tel_8k_mulaw_breathing.wav"), shared_audio("example/metro_station-paris.wav"),
      shared_audio("esc50-sample/2-103426-A-3.flac")};
  std::vector<std::vector<float>> serial;
  for (const auto& f : files) serial.push_back(decode_file(f).samples);
  const std::vector<std::uint8_t> not_audio = {'h', 'e', 'l', 'l', 'o', '\n'};

  std::atomic<int> mismatches = 0, wrong_errors = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (std::size_t i = 0; i < files.size(); ++i) {
          const std::size_t k = (i + std::size_t(t)) % files.size();
          const auto bytes = read_bytes(files[k]);
          const bool use_memory = (t + round) % 2 == 0;
          const Audio audio = use_memory ? decode_memory(bytes) : decode_file(files[k]);
          if (audio.samples != serial[k]) ++mismatches;
        }
        try {
          decode_memory(not_audio);
          ++wrong_errors;
        } catch (const Error& e) {
          if (e.code() != ErrorCode::unsupported_format) ++wrong_errors;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(wrong_errors.load(), 0);
}

}  // namespace
}  // namespace soundlens::test
