// Headers that claim what no recording is (issue 17 item 5: a WAV claiming
// 1 Hz made the resampler fail to allocate, a 500): sample rates outside the
// supported range, no channels, absurd channel counts and lengths give a
// clear error naming the value, on the whole-file and the streamed paths
// alike, and never Error(internal).
#include <gtest/gtest.h>

#include <cstring>
#include <functional>

#include "audio/audio.h"
#include "audio_test_support.h"
#include "core/error.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {

// What decoding the bytes gives on each of the four entry points: the error's
// code and message, or "" when it decodes.
struct Outcome {
  std::string path;
  bool failed = false;
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::size_t samples = 0;
};

std::vector<Outcome> decode_every_way(const std::vector<std::uint8_t>& bytes, const DecodeOptions& options = {}) {
  TempDir dir;
  const std::string file = dir.path("header.wav");
  write_bytes(file, bytes);
  const std::vector<std::pair<std::string, std::function<std::size_t()>>> ways = {
      {"decode_memory", [&] { return decode_memory(bytes, options).samples.size(); }},
      {"decode_file", [&] { return decode_file(file, options).samples.size(); }},
      {"decode_memory_stream",
       [&] {
         std::size_t n = 0;
         decode_memory_stream(bytes, [&](std::span<const float> b) { n += b.size(); }, options);
         return n;
       }},
      {"decode_file_stream", [&] {
         std::size_t n = 0;
         decode_file_stream(file, [&](std::span<const float> b) { n += b.size(); }, options);
         return n;
       }}};
  std::vector<Outcome> out;
  for (const auto& [name, decode] : ways) {
    Outcome o{name};
    try {
      o.samples = decode();
    } catch (const Error& e) {
      o.failed = true;
      o.code = e.code();
      o.message = e.what();
    } catch (const std::exception& e) {
      o.failed = true;
      o.message = std::string("not a soundlens::Error: ") + e.what();
    }
    out.push_back(o);
  }
  return out;
}

void expect_refused_naming(const std::vector<std::uint8_t>& bytes, const std::string& named) {
  for (const auto& o : decode_every_way(bytes)) {
    SCOPED_TRACE(o.path);
    ASSERT_TRUE(o.failed) << "decoded " << o.samples << " samples";
    EXPECT_EQ(error_code_name(o.code), error_code_name(ErrorCode::unsupported_format)) << o.message;
    EXPECT_NE(o.message.find(named), std::string::npos) << o.message;
  }
}

// A mono 16-bit WAV with a header claiming `rate` (1,000 samples: 2 KB, as in the issue).
std::vector<std::uint8_t> wav_claiming(int rate, std::size_t samples = 1000) {
  return wav_bytes(sine(0.05, 1, samples, 0.5), {.rate = rate, .sample = WavSample::s16});
}

TEST(HeaderLimits, OneHertzIsRefusedNamingTheRate) {
  expect_refused_naming(wav_claiming(1), "1 Hz");
  expect_refused_naming(wav_claiming(1), "sample rate");
}

TEST(HeaderLimits, RatesBelowTheFloorAreRefusedNamingTheRateAndTheRange) {
  for (int rate : {2, 100, 999}) {
    SCOPED_TRACE(rate);
    expect_refused_naming(wav_claiming(rate), std::to_string(rate) + " Hz");
    expect_refused_naming(wav_claiming(rate), "1000 to 768000 Hz");
  }
}

TEST(HeaderLimits, RatesAboveTheCeilingAreRefusedNamingTheRate) {
  for (int rate : {768001, 4000000, 2000000000}) {
    SCOPED_TRACE(rate);
    expect_refused_naming(wav_claiming(rate, 4000), std::to_string(rate) + " Hz");
  }
}

TEST(HeaderLimits, TheFloorAndTheCeilingThemselvesDecode) {
  // 1 kHz (hydrophone and seismic archives) up to 768 kHz (the highest
  // standard PCM rate; ultrasonic recorders): ceil(n * 32000 / rate) samples.
  for (const auto& [rate, samples, expected] :
       {std::tuple{1000, 1000, 32000}, {768000, 76800, 3200}, {8000, 8000, 32000}}) {
    SCOPED_TRACE(rate);
    for (const auto& o : decode_every_way(wav_claiming(rate, std::size_t(samples)))) {
      SCOPED_TRACE(o.path);
      EXPECT_FALSE(o.failed) << o.message;
      EXPECT_EQ(o.samples, std::size_t(expected));
    }
  }
}

TEST(HeaderLimits, TheSharedTelephoneRecordingsAt8kHzStillDecode) {
  for (const char* name : {"awkward/05_tel_8k_pcm16_breathing.wav", "awkward/06_tel_8k_mulaw_breathing.wav"}) {
    const Audio audio = decode_file(shared_audio(name));
    EXPECT_EQ(audio.source.sample_rate, 8000) << name;
    EXPECT_NEAR(audio.duration_s(), 5.0, 1e-3) << name;
  }
}

// The bytes of a valid WAV with the fmt chunk's fields rewritten.
std::vector<std::uint8_t> with_fmt(std::vector<std::uint8_t> bytes, std::uint16_t channels, std::uint32_t rate,
                                   std::uint16_t block_align) {
  const auto put16 = [&](std::size_t at, std::uint16_t v) { std::memcpy(bytes.data() + at, &v, 2); };
  const auto put32 = [&](std::size_t at, std::uint32_t v) { std::memcpy(bytes.data() + at, &v, 4); };
  // RIFF(12) "fmt "(4) size(4): tag at 20, channels 22, rate 24, byte rate 28, block align 32.
  put16(22, channels);
  put32(24, rate);
  put32(28, rate * block_align);
  put16(32, block_align);
  return bytes;
}

TEST(HeaderLimits, ChannelCountsNoneCanHaveAreRefusedNamingTheCount) {
  const auto base = wav_claiming(8000, 4000);
  for (const auto& [channels, named] : {std::pair{0, "0 channels"}, {1000, "1000"}, {65535, "65535"}}) {
    SCOPED_TRACE(channels);
    expect_refused_naming(with_fmt(base, std::uint16_t(channels), 8000, std::uint16_t(2 * channels)), named);
  }
}

TEST(HeaderLimits, NoInputGivesAnInternalError) {
  const auto base = wav_claiming(8000, 4000);
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> cases = {
      {"rate 0", with_fmt(base, 1, 0, 2)},
      {"0 channels", with_fmt(base, 0, 8000, 2)},
      {"0 channels, block align 0", with_fmt(base, 0, 8000, 0)},
      {"65535 channels", with_fmt(base, 65535, 8000, 2)},
      {"65535 channels, block align 65535 * 2", with_fmt(base, 65535, 8000, 0xFFFE)},
      {"1000 channels", with_fmt(base, 1000, 8000, 2000)},
      {"100 channels", with_fmt(base, 100, 8000, 200)},
      {"rate 4294967295", with_fmt(base, 1, 0xFFFFFFFFu, 2)},
      {"1 Hz, 65535 channels", with_fmt(base, 65535, 1, 0xFFFE)},
  };
  // Absurd lengths: a data chunk claiming 4 GB at 1 kHz (about 24 days), at
  // 768 kHz, and a RIFF size of 0.
  auto huge = wav_claiming(1000, 4000);
  const std::uint32_t four_gb = 0xFFFFFFF0u;
  std::memcpy(huge.data() + 40, &four_gb, 4);
  cases.push_back({"data of 4 GB at 1 kHz", huge});
  cases.push_back({"data of 4 GB at 768 kHz", with_fmt(huge, 1, 768000, 2)});
  auto no_riff_size = wav_claiming(8000, 4000);
  std::memset(no_riff_size.data() + 4, 0, 4);
  cases.push_back({"RIFF size 0", no_riff_size});
  for (const auto& [name, bytes] : cases) {
    SCOPED_TRACE(name);
    for (const auto& o : decode_every_way(bytes)) {
      SCOPED_TRACE(o.path);
      if (!o.failed) continue;  // decoding what is there is fine too
      EXPECT_NE(error_code_name(o.code), error_code_name(ErrorCode::internal)) << o.message;
      EXPECT_EQ(o.message.find("not a soundlens::Error"), std::string::npos) << o.message;
    }
  }
}

}  // namespace
}  // namespace soundlens::test
