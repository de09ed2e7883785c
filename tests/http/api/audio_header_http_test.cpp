// Uploads whose header claims an impossible sample rate (issue 17 item 5: a
// 2 KB WAV of 1,000 samples "at 1 Hz" gave 500 internal, "resampler: Cannot
// allocate memory") are refused with 415 naming the rate, synchronously and
// as a job (the streamed decode).
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// A mono 16-bit PCM WAV of `samples` samples whose header says `rate` Hz.
std::string wav_claiming(std::uint32_t rate, std::uint32_t samples, std::uint16_t channels = 1) {
  const auto le16 = [](std::uint16_t v) { return std::string(reinterpret_cast<const char*>(&v), 2); };
  const auto le32 = [](std::uint32_t v) { return std::string(reinterpret_cast<const char*>(&v), 4); };
  std::string pcm;
  for (std::uint32_t i = 0; i < samples; ++i) pcm += le16(std::uint16_t(std::int16_t((i * 37) % 2000) - 1000));
  return "RIFF" + le32(std::uint32_t(36 + pcm.size())) + "WAVE" + "fmt " + le32(16) + le16(1) + le16(channels) +
         le32(rate) + le32(rate * 2u * channels) + le16(std::uint16_t(2 * channels)) + le16(16) + "data" +
         le32(std::uint32_t(pcm.size())) + pcm;
}

// The job's final state (or the last one seen within the time).
json final_job(httplib::Client& c, const std::string& id) {
  const auto until = std::chrono::steady_clock::now() + 60s;
  json job;
  while (std::chrono::steady_clock::now() < until) {
    job = json_of(c.Get(("/api/v1/jobs/" + id).c_str()))["job"];
    if (job["state"] == "done" || job["state"] == "failed" || job["state"] == "cancelled") break;
    std::this_thread::sleep_for(100ms);
  }
  return job;
}

TEST(AudioHeaderHttp, AWavClaimingOneHertzIs415NamingTheRate) {
  TestServer server;
  auto c = server.client();
  const std::string bytes = wav_claiming(1, 1000);
  ASSERT_LT(bytes.size(), 2100u);
  auto res = upload(c, "/api/v1/analyses", "one-hertz.wav", bytes);
  ASSERT_TRUE(res);
  expect_error(res, 415, "unsupported_format");
  const std::string message = json_of(res)["error"]["message"];
  EXPECT_NE(message.find("1 Hz"), std::string::npos) << message;
  EXPECT_NE(message.find("sample rate"), std::string::npos) << message;
}

TEST(AudioHeaderHttp, RatesOutsideTheRangeAreRefusedSynchronouslyAndAsJobsNeverWith500) {
  TestServer server;
  auto c = server.client();
  for (const std::uint32_t rate : {1u, 500u, 999u, 800000u, 2000000000u}) {
    SCOPED_TRACE(rate);
    const std::string bytes = wav_claiming(rate, 4000);
    const std::string named = std::to_string(rate) + " Hz";
    auto now = upload(c, "/api/v1/analyses", "odd.wav", bytes);
    ASSERT_TRUE(now);
    expect_error(now, 415, "unsupported_format");
    const std::string message = json_of(now)["error"]["message"];
    EXPECT_NE(message.find(named), std::string::npos) << message;

    // As a job: refused at once, or the job fails with the same error.
    auto async = upload(c, "/api/v1/analyses", "odd.wav", bytes, {{"async", "1", "", ""}});
    ASSERT_TRUE(async);
    ASSERT_NE(async->status, 500) << async->body;
    if (async->status != 202) {
      expect_error(async, 415, "unsupported_format");
      continue;
    }
    const json job = final_job(c, json_of(async)["job"]["id"]);
    ASSERT_EQ(job["state"], "failed") << job.dump();
    EXPECT_EQ(job["error"]["code"], "unsupported_format") << job.dump();
    EXPECT_NE(job["error"]["message"].get<std::string>().find(named), std::string::npos) << job.dump();
  }
}

TEST(AudioHeaderHttp, ChannelCountsAndTheFloorNeverGive500) {
  TestServer server;
  auto c = server.client();
  for (const auto& [rate, channels] : {std::pair{8000u, 0}, {8000u, 65535}, {8000u, 100}, {1u, 65535}}) {
    SCOPED_TRACE(std::to_string(rate) + " Hz, " + std::to_string(channels) + " channels");
    auto res = upload(c, "/api/v1/analyses", "odd.wav", wav_claiming(rate, 8000, std::uint16_t(channels)));
    ASSERT_TRUE(res);
    EXPECT_GE(res->status, 400) << res->body;
    EXPECT_LT(res->status, 500) << res->body;
  }
  // 1 kHz, the floor, is analysed.
  auto at_floor = upload(c, "/api/v1/analyses", "low.wav", wav_claiming(1000, 10000));
  ASSERT_TRUE(at_floor);
  EXPECT_EQ(at_floor->status, 201) << at_floor->body.substr(0, 300);
}

}  // namespace
}  // namespace soundlens::test
