// The files a live session writes are valid at every flush, before they are closed.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "audio/audio.h"
#include "core/error.h"
#include "live/live_files.h"

namespace soundlens {
namespace {

namespace fs = std::filesystem;

TEST(LiveFiles, TheRecordingDecodesAfterEveryFlush) {
  const fs::path path = fs::temp_directory_path() / ("live-rec-" + std::to_string(::getpid()) + ".wav");
  {
    WavRecorder rec(path.string());
    std::vector<float> block(16000, 0.25f);
    rec.write(block);
    rec.flush();
    Audio a = decode_file(path.string());  // while still open: a crash now keeps this much
    EXPECT_EQ(a.samples.size(), 16000u);
    EXPECT_NEAR(a.samples[100], 0.25, 1e-4);
    rec.write(block);
    rec.write(block);
    rec.flush();
    a = decode_file(path.string());
    EXPECT_EQ(a.samples.size(), 48000u);
    EXPECT_DOUBLE_EQ(rec.seconds(), 1.5);
  }
  EXPECT_EQ(decode_file(path.string()).samples.size(), 48000u);
  fs::remove(path);
}

TEST(LiveFiles, AFlacRecordingDecodesAfterAFlushAndWhole) {
  const fs::path path = fs::temp_directory_path() / ("live-rec-" + std::to_string(::getpid()) + ".flac");
  std::vector<float> block(32000);
  for (std::size_t i = 0; i < block.size(); ++i) block[i] = 0.5f * std::sin(0.05f * float(i));
  {
    auto rec = open_recorder(path.string());
    rec->write(block);
    rec->flush();
    // Cut off now (a crash): the frames encoded so far decode, without the header's length.
    const Audio partial = decode_file(path.string());
    EXPECT_GT(partial.samples.size(), 32000u - 4608u);
    EXPECT_LE(partial.samples.size(), 32000u);
    rec->write(block);
    rec->close();
  }
  const Audio whole = decode_file(path.string());
  ASSERT_EQ(whole.samples.size(), 64000u);
  double worst = 0;
  for (std::size_t i = 0; i < whole.samples.size(); ++i)
    worst = std::max(worst, double(std::fabs(whole.samples[i] - block[i % 32000])));
  EXPECT_LE(worst, 0.5 / 32768 + 1e-7);  // lossless 16-bit: the rounding only
  fs::remove(path);
}

TEST(LiveFiles, RecordingsAreWavOrFlacAndUnwritablePathsNameTheOption) {
  for (const char* bad : {"/tmp/x.mp3", "/tmp/x", "/nonexistent-dir/x.wav", "/nonexistent-dir/x.flac"}) {
    try {
      open_recorder(bad);
      FAIL() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::bad_request) << bad;
      EXPECT_NE(std::string(e.what()).find("--record"), std::string::npos) << e.what();
    }
  }
  try {
    WavRecorder rec("/nonexistent-dir/x.wav");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--record"), std::string::npos);
  }
  try {
    EventsCsvFile csv("/nonexistent-dir/e.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--events-csv"), std::string::npos);
  }
}

TEST(LiveFiles, TheCsvHasAHeaderAndARowPerEventAsTheyCome) {
  const fs::path path = fs::temp_directory_path() / ("live-csv-" + std::to_string(::getpid()) + ".csv");
  EventsCsvFile csv(path.string());
  Event e;
  e.index = 47, e.label = "Cough, \"dry\"", e.onset_s = 1.5, e.offset_s = 2.25, e.probability = 0.8f;
  csv.add(e);
  std::stringstream text;
  text << std::ifstream(path).rdbuf();  // flushed: readable before close
  EXPECT_EQ(text.str(), "index,label,onset_s,offset_s,probability,low_hz,high_hz\r\n"
                        "47,\"Cough, \"\"dry\"\"\",1.500,2.250,0.8000,0.0,0.0\r\n");
  csv.close();
  fs::remove(path);
}

}  // namespace
}  // namespace soundlens
