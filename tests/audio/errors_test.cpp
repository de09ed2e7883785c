// Bad input gives the right error code and a message naming what was found;
// nothing crashes and FFmpeg prints nothing of its own.
#include <gtest/gtest.h>

#include <functional>

#include "audio/audio.h"
#include "audio_test_support.h"
#include "core/error.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {

// A real 1x1 RGBA PNG (signature, IHDR, IDAT, IEND with valid CRCs).
const std::vector<std::uint8_t> kTinyPng = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00,
    0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

const std::string kMp3 = "awkward/01_stereo_44k1_coughing.mp3";

// Runs `decode`, expecting soundlens::Error with `code`; returns its message.
std::string expect_error(ErrorCode code, const std::function<void()>& decode) {
  try {
    decode();
  } catch (const Error& e) {
    EXPECT_EQ(error_code_name(e.code()), error_code_name(code)) << e.what();
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected soundlens::Error, got std::exception: " << e.what();
    return {};
  }
  ADD_FAILURE() << "expected soundlens::Error(" << error_code_name(code) << "), nothing was thrown";
  return {};
}

// The same bytes as a file (named `name`) and from memory must give the same code.
std::vector<std::string> expect_error_both_ways(ErrorCode code, const std::vector<std::uint8_t>& bytes,
                                                const std::string& name, const DecodeOptions& options = {}) {
  TempDir dir;
  const std::string path = dir.path(name);
  write_bytes(path, bytes);
  return {expect_error(code, [&] { decode_file(path, options); }),
          expect_error(code, [&] { decode_memory(bytes, options); })};
}

TEST(AudioErrors, TextFileIsUnsupportedFormat) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "This is a plain text file, not audio. Line " + std::to_string(i) + "\n";
  const std::vector<std::uint8_t> bytes(text.begin(), text.end());
  for (const auto& message : expect_error_both_ways(ErrorCode::unsupported_format, bytes, "notes.wav"))
    EXPECT_NE(message.find("not an audio file"), std::string::npos) << message;
}

TEST(AudioErrors, PngRenamedWavIsUnsupportedFormatNamingPng) {
  // Refused by the container allow-list before any demuxer runs, naming what FFmpeg detected.
  for (const auto& message : expect_error_both_ways(ErrorCode::unsupported_format, kTinyPng, "picture.wav")) {
    EXPECT_NE(message.find("not an audio file"), std::string::npos) << message;
    EXPECT_NE(message.find("png"), std::string::npos) << message;
  }
}

TEST(AudioErrors, EmptyInputIsEmptyAudio) {
  // Decision: 0 bytes is empty_audio (422, "you sent nothing"), not unsupported_format.
  for (const auto& message : expect_error_both_ways(ErrorCode::empty_audio, {}, "empty.wav"))
    EXPECT_NE(message.find("0 bytes"), std::string::npos) << message;
}

TEST(AudioErrors, WavWithNoSamplesIsEmptyAudio) {
  const auto bytes = wav_bytes({}, {.rate = 44100});
  for (const auto& message : expect_error_both_ways(ErrorCode::empty_audio, bytes, "nothing.wav"))
    EXPECT_NE(message.find("no samples"), std::string::npos) << message;
}

TEST(AudioErrors, UnknownWavCodecIsUnsupportedFormat) {
  // Format tag 0x1234 is no codec FFmpeg knows.
  const auto bytes = wav_bytes(sine(440, 8000, 8000, 0.5), {.rate = 8000, .sample = WavSample::s16, .format_tag = 0x1234});
  for (const auto& message : expect_error_both_ways(ErrorCode::unsupported_format, bytes, "odd.wav"))
    EXPECT_NE(message.find("codec"), std::string::npos) << message;
}

TEST(AudioErrors, MissingPathIsBadRequestNamingIt) {
  const std::string path = "/nonexistent/soundlens/recording.wav";
  const std::string message = expect_error(ErrorCode::bad_request, [&] { decode_file(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
}

TEST(AudioErrors, DirectoryIsBadRequest) {
  TempDir dir;
  expect_error(ErrorCode::bad_request, [&] { decode_file(dir.path("")); });
}

TEST(AudioErrors, PathIsNeverTakenAsAProtocol) {
  expect_error(ErrorCode::bad_request, [] { decode_file("http://127.0.0.1:9/x.wav"); });
}

TEST(AudioErrors, BadOptionsAreBadRequest) {
  const auto bytes = wav_bytes(sine(440, 8000, 800, 0.5), {.rate = 8000});
  expect_error(ErrorCode::bad_request, [&] { decode_memory(bytes, {.target_rate = 0}); });
  expect_error(ErrorCode::bad_request, [&] { decode_memory(bytes, {.max_duration_s = 0}); });
  expect_error(ErrorCode::bad_request, [&] { decode_memory(bytes, {.time_limit_s = 0}); });
}

TEST(AudioErrors, TruncatedMp3DecodesWhatIsThere) {
  // Decision: the first 40% of a real MP3 still holds whole frames; users
  // expect those to be analysed, as any player would play them.
  const auto whole = read_bytes(shared_audio(kMp3));
  const std::vector<std::uint8_t> cut(whole.begin(), whole.begin() + std::ptrdiff_t(whole.size() * 4 / 10));
  const Audio full = decode_memory(whole);
  for (bool from_file : {false, true}) {
    SCOPED_TRACE(from_file ? "file" : "memory");
    TempDir dir;
    write_bytes(dir.path("cut.mp3"), cut);
    const Audio part = from_file ? decode_file(dir.path("cut.mp3")) : decode_memory(cut);
    EXPECT_EQ(part.source.codec, "mp3");
    EXPECT_NEAR(part.duration_s(), 0.4 * full.duration_s(), 0.25);
    // Up to near the cut it is the same audio as the whole file.
    const std::size_t compare = std::min<std::size_t>(part.samples.size(), 32000);
    ASSERT_GT(compare, 16000u);
    EXPECT_LT(max_abs_difference(part.samples, full.samples, 0, compare), 1e-6);
  }
}

TEST(AudioErrors, Mp3CutInsideItsFirstFrameIsUnsupportedFormat) {
  // ID3 tag plus a fraction of one frame: nothing can be decoded.
  const auto whole = read_bytes(shared_audio(kMp3));
  const std::vector<std::uint8_t> cut(whole.begin(), whole.begin() + 200);
  expect_error_both_ways(ErrorCode::unsupported_format, cut, "stub.mp3");
}

TEST(AudioErrors, RandomBytesAreUnsupportedFormat) {
  std::vector<std::uint8_t> noise(64 * 1024);
  std::uint32_t state = 12345;
  for (auto& b : noise) {
    state = state * 1664525u + 1013904223u;
    b = std::uint8_t(state >> 24);
  }
  expect_error_both_ways(ErrorCode::unsupported_format, noise, "noise.bin");
}

TEST(AudioErrors, TooLongFromTheContainerHeader) {
  const std::string message = expect_error(ErrorCode::too_long, [] {
    decode_file(shared_audio("example/metro_station-paris.wav"), {.max_duration_s = 5});
  });
  EXPECT_NE(message.find("container states"), std::string::npos) << message;
}

TEST(AudioErrors, TooLongWhileDecodingWhenTheHeaderSaysNothing) {
  // A streaming WAV (sizes 0xFFFFFFFF) gives no length up front: the limit
  // must still stop decoding.
  const auto bytes = wav_bytes(sine(440, 44100, 5 * 44100, 0.5), {.rate = 44100, .unknown_length = true});
  for (const auto& message : expect_error_both_ways(ErrorCode::too_long, bytes, "stream.wav", {.max_duration_s = 2}))
    EXPECT_NE(message.find("decoding passed"), std::string::npos) << message;
  // And within the limit the same file decodes completely.
  const Audio audio = decode_memory(bytes, {.max_duration_s = 6});
  EXPECT_NEAR(audio.source.duration_s, 5.0, 1e-9);
}

TEST(AudioErrors, ExactlyAtTheLimitIsAccepted) {
  const Audio audio = decode_file(shared_audio("example/metro_station-paris.wav"), {.max_duration_s = 10});
  EXPECT_EQ(audio.samples.size(), 320000u);
}

TEST(AudioErrors, FfmpegPrintsNothing) {
  const auto whole = read_bytes(shared_audio(kMp3));
  const std::vector<std::uint8_t> cut(whole.begin(), whole.begin() + std::ptrdiff_t(whole.size() * 4 / 10));
  std::vector<std::uint8_t> corrupt = whole;
  for (std::size_t i = 2000; i < corrupt.size(); i += 997) corrupt[i] ^= 0x5a;
  ::testing::internal::CaptureStderr();
  decode_memory(cut);
  try {
    decode_memory(corrupt);
  } catch (const Error&) {
  }
  try {
    decode_memory(kTinyPng);
  } catch (const Error&) {
  }
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

}  // namespace
}  // namespace soundlens::test
