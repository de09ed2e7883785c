// GET .../spectrogram?start_s=&end_s=&width=: any span of a stored recording
// at full resolution, equal frame by frame to the whole recording's.
#include <gtest/gtest.h>

#include <cmath>

#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {

TEST(SpectrogramSpan, ASpanEqualsTheWholeRecordingsFramesAtFullResolution) {
  TestServer server;
  auto c = server.client();
  auto res = upload(c, "/api/v1/analyses", "long.wav", read_file(shared_audio("awkward/04_long_90s_concat.wav")));
  ASSERT_EQ(res->status, 201) << res->body;
  const std::string base = "/api/v1/analyses/" + json_of(res)["id"].get<std::string>() + "/spectrogram";
  const auto whole = json_of(c.Get((base + "?max_columns=10000").c_str()));  // 9001 frames: one column each
  ASSERT_NEAR(whole["cols"].get<int>(), whole["duration_s"].get<double>() / 0.01, 1.01);
  const auto span = json_of(c.Get((base + "?start_s=70&end_s=72&width=1000").c_str()));
  EXPECT_EQ(span["cols"], 200);
  EXPECT_NEAR(span["start_s"].get<double>(), 70.0, 1e-9);
  EXPECT_NEAR(span["end_s"].get<double>(), 72.0, 1e-9);
  EXPECT_NEAR(span["seconds_per_column"].get<double>(), 0.01, 1e-12);
  double worst = 0;
  for (int m = 0; m < span["rows"].get<int>(); ++m)
    for (int f = 0; f < 200; ++f)
      worst = std::max(worst, std::abs(span["values"][m][f].get<double>() - whole["values"][m][7000 + f].get<double>()));
  EXPECT_LE(worst, 1.5e-3) << "a span's frames differ from the whole recording's";
  // Wider spans are averaged down to width columns; the end is clamped to the recording.
  const auto tail = json_of(c.Get((base + "?start_s=80&end_s=1000&width=100").c_str()));
  EXPECT_EQ(tail["cols"], 100);
  EXPECT_NEAR(tail["end_s"].get<double>(), whole["duration_s"].get<double>(), 0.011);
}

TEST(SpectrogramSpan, HostileSpansAreRefusedNamingTheParameter) {
  TestServer server;
  auto c = server.client();
  auto res = upload(c, "/api/v1/analyses", "m.wav", read_file(shared_audio("example/metro_station-paris.wav")));
  ASSERT_EQ(res->status, 201);
  const std::string base = "/api/v1/analyses/" + json_of(res)["id"].get<std::string>() + "/spectrogram";
  for (const char* query : {"?start_s=5&end_s=2", "?start_s=nan&end_s=2", "?start_s=-1&end_s=2", "?start_s=0&end_s=inf",
                            "?start_s=0&end_s=2&width=5", "?start_s=0&end_s=2&width=1e9", "?start_s=%200&end_s=1"})
    expect_error(c.Get((base + query).c_str()), 400, "bad_request");
  // A span beyond the end gives the last frame, not an error or a crash.
  const auto late = json_of(c.Get((base + "?start_s=500&end_s=600").c_str()));
  EXPECT_GE(late["cols"].get<int>(), 1);
}

}  // namespace
}  // namespace soundlens::test
