// Quotas through the real server (issue 17, items 3 and 4): per user, the jobs
// queued or running and the bytes of their uploads (429 quota_exceeded naming
// the limit), on SQLite and PostgreSQL; the server's disk budget (507 before
// anything is written); and the audio-seconds budget of a key charged when
// work is admitted, for async uploads, synchronous ones and batches alike, so
// that neither a long recording nor requests sent at once get past it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <thread>
#include <vector>

#include "audio/wav_writer.h"
#include "pg_test_database.h"
#include "test_server.h"

namespace soundlens::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// A recording that is neither silent nor speech: a tone in noise, `seconds` long.
std::string noise_wav(double seconds, int rate = 16000) {
  std::vector<float> samples(std::size_t(seconds * rate));
  std::uint32_t x = 12345;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    x = x * 1664525u + 1013904223u;
    const float noise = float(x >> 8) / float(1u << 24) - 0.5f;
    samples[i] = 0.2f * noise + 0.1f * float(std::sin(2 * M_PI * 440.0 * double(i) / rate));
  }
  const auto bytes = encode_wav_pcm16(samples, rate);
  return {bytes.begin(), bytes.end()};
}

httplib::Headers bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

httplib::Result post_as(TestServer& server, const std::string& key, const std::string& name,
                        const std::string& content, bool async) {
  auto c = server.client();
  httplib::MultipartFormDataItems form{{"file", content, name, "audio/wav"}};
  if (async) form.push_back({"async", "1", "", ""});
  return c.Post("/api/v1/analyses", bearer(key), form);
}

std::string message_of(const httplib::Result& result) { return json_of(result)["error"]["message"]; }

void cancel_jobs(TestServer& server, const std::string& key) {
  auto c = server.client();
  const json jobs = json_of(c.Get("/api/v1/jobs", bearer(key)));
  for (const auto& job : jobs["items"]) {
    const auto cancelled = c.Delete(("/api/v1/jobs/" + job["id"].get<std::string>()).c_str(), bearer(key));
    EXPECT_EQ(cancelled->status, 200) << cancelled->body;
  }
}

// --- Per user: jobs queued or running, and the bytes they hold ---

void queued_jobs_stop_at_the_limit(TestServer& server) {
  const std::string ann = server.issue_key("ann"), bob = server.issue_key("bob");
  const std::string wav = noise_wav(300);  // each job takes seconds: the first two are still queued or running
  ASSERT_EQ(post_as(server, ann, "1.wav", wav, true)->status, 202);
  ASSERT_EQ(post_as(server, ann, "2.wav", wav, true)->status, 202);
  const auto third = post_as(server, ann, "3.wav", wav, true);
  expect_error(third, 429, "quota_exceeded");
  EXPECT_NE(message_of(third).find("2 jobs per user (--max-queued-jobs-per-user)"), std::string::npos)
      << third->body;
  EXPECT_EQ(json_of(server.client().Get("/api/v1/jobs", bearer(ann)))["items"].size(), 2u);
  EXPECT_EQ(post_as(server, bob, "b.wav", wav, true)->status, 202);  // another user is not held back
  cancel_jobs(server, ann);  // cancelled jobs give their places back
  EXPECT_EQ(post_as(server, ann, "5.wav", wav, true)->status, 202);
  cancel_jobs(server, ann);
  cancel_jobs(server, bob);
}

TEST(QuotaHttp, AUsersQueuedJobsStopAtTheLimitWith429) {
  TestServer server({.max_concurrent = 1, .async_over_s = 60, .auth = auth::AuthMode::required,
                     .max_queued_jobs_per_user = 2});
  queued_jobs_stop_at_the_limit(server);
}

TEST(QuotaHttp, AUsersQueuedJobsStopAtTheLimitWith429OnPostgres) {
  SOUNDLENS_NEED_POSTGRES();
  const soundlens::testing::PgTestDatabase pg(*soundlens::testing::postgres_test_server());
  TestServer server({.max_concurrent = 1, .async_over_s = 60, .auth = auth::AuthMode::required,
                     .max_queued_jobs_per_user = 2, .database = pg.conninfo()});
  queued_jobs_stop_at_the_limit(server);
}

TEST(QuotaHttp, TheBytesAUsersJobsHoldStopAtTheLimit) {
  TestServer server({.max_concurrent = 1, .auth = auth::AuthMode::required, .max_queued_mb_per_user = 12});
  const std::string ann = server.issue_key("ann"), bob = server.issue_key("bob");
  const std::string wav = noise_wav(300);  // 9.6 MB
  ASSERT_EQ(post_as(server, ann, "1.wav", wav, true)->status, 202);
  const auto second = post_as(server, ann, "2.wav", wav, true);
  expect_error(second, 429, "quota_exceeded");
  EXPECT_NE(message_of(second).find("12 MB per user (--max-queued-mb-per-user)"), std::string::npos)
      << second->body;
  EXPECT_EQ(post_as(server, bob, "b.wav", wav, true)->status, 202);
  cancel_jobs(server, ann);
  cancel_jobs(server, bob);
}

// --- The server's disk budget ---

TEST(QuotaHttp, TheDiskBudgetGives507BeforeAnythingIsWritten) {
  // A reserve larger than the free space of the file system the data directory is on.
  const auto free_mb = std::int64_t(std::filesystem::space(std::filesystem::temp_directory_path()).available >> 20);
  TestServer server({.min_free_disk_mb = free_mb + (1 << 20)});
  auto c = server.client();
  const std::string wav = noise_wav(3);
  for (bool async : {false, true}) {
    httplib::MultipartFormDataItems form{{"file", wav, "a.wav", "audio/wav"}};
    if (async) form.push_back({"async", "1", "", ""});
    const auto refused = c.Post("/api/v1/analyses", form);
    expect_error(refused, 507, "insufficient_storage");
    EXPECT_NE(message_of(refused).find("--min-free-disk-mb"), std::string::npos) << refused->body;
  }
  expect_error(c.Post("/api/v1/batches", httplib::MultipartFormDataItems{{"file", wav, "a.wav", "audio/wav"}}), 507,
               "insufficient_storage");
  EXPECT_EQ(json_of(c.Get("/api/v1/analyses"))["total"], 0);
  EXPECT_EQ(json_of(c.Get("/api/v1/jobs"))["items"].size(), 0u);
  EXPECT_EQ(server.stored_audio_files(), 0u);
}

// --- The audio-seconds budget, charged at admission ---

TEST(AudioBudgetHttp, TwoLongAsyncUploadsDoNotBothPass) {
  TestServer server({.auth = auth::AuthMode::required, .rate_limits = {0, 60}});
  const std::string ann = server.issue_key("ann"), bob = server.issue_key("bob");
  const std::string wav = noise_wav(819, 8000);
  ASSERT_EQ(post_as(server, ann, "1.wav", wav, true)->status, 202);  // a budget not yet touched takes one
  const auto second = post_as(server, ann, "2.wav", wav, true);
  expect_error(second, 429, "rate_limited");
  EXPECT_NE(message_of(second).find("--rate-limit-audio-s"), std::string::npos) << second->body;
  // 819 s at 60 s a minute: the key waits for the budget to refill past the first recording.
  EXPECT_GT(std::stoi(second->get_header_value("Retry-After")), 60);
  EXPECT_EQ(post_as(server, bob, "b.wav", wav, true)->status, 202);  // another key, its own budget
  cancel_jobs(server, ann);
  cancel_jobs(server, bob);
}

TEST(AudioBudgetHttp, SynchronousUploadsAreChargedBeforeTheyRun) {
  TestServer server({.auth = auth::AuthMode::required, .rate_limits = {0, 60}});
  const std::string ann = server.issue_key("ann");
  const std::string wav = noise_wav(18.9);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(post_as(server, ann, "a.wav", wav, false)->status, 201) << i;
  const auto fourth = post_as(server, ann, "a.wav", wav, false);  // 4 x 18.9 s > 60 s
  expect_error(fourth, 429, "rate_limited");
  EXPECT_FALSE(fourth->get_header_value("Retry-After").empty());
  EXPECT_EQ(json_of(server.client().Get("/api/v1/analyses", bearer(ann)))["total"], 3);
}

TEST(AudioBudgetHttp, UploadsSentAtOnceCannotSlipThrough) {
  TestServer server({.max_concurrent = 2, .auth = auth::AuthMode::required, .rate_limits = {0, 60}});
  const std::string ann = server.issue_key("ann");
  const std::string wav = noise_wav(18.9);
  std::atomic<int> created = 0, limited = 0, other = 0;
  std::vector<std::thread> clients;
  for (int i = 0; i < 6; ++i)
    clients.emplace_back([&] {
      const auto res = post_as(server, ann, "a.wav", wav, false);
      if (res && res->status == 201) ++created;
      else if (res && res->status == 429) ++limited;
      else ++other;
    });
  for (auto& t : clients) t.join();
  EXPECT_EQ(created, 3);
  EXPECT_EQ(limited, 3);
  EXPECT_EQ(other, 0);
}

TEST(AudioBudgetHttp, ABatchIsChargedFileByFile) {
  TestServer server({.auth = auth::AuthMode::required, .rate_limits = {0, 60}});
  const std::string ann = server.issue_key("ann");
  const std::string wav = noise_wav(18.9);
  httplib::MultipartFormDataItems form;
  for (int i = 0; i < 4; ++i) form.push_back({"file", wav, std::to_string(i) + ".wav", "audio/wav"});
  auto c = server.client();
  const auto batch = c.Post("/api/v1/batches", bearer(ann), form);
  ASSERT_EQ(batch->status, 202) << batch->body;
  const json items = json_of(batch)["items"];
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(items[i]["job_id"].is_string()) << items[i].dump();
  EXPECT_TRUE(items[3]["job_id"].is_null()) << items[3].dump();
  EXPECT_EQ(items[3]["error"]["code"], "rate_limited") << items[3].dump();
  // Spent: the next upload and the next batch are refused whole.
  expect_error(post_as(server, ann, "a.wav", wav, false), 429, "rate_limited");
  expect_error(c.Post("/api/v1/batches", bearer(ann), form), 429, "rate_limited");
  cancel_jobs(server, ann);
}

TEST(AudioBudgetHttp, WorkThatFailsGivesItsSecondsBack) {
  TestServer server({.auth = auth::AuthMode::required, .rate_limits = {0, 60}});
  const std::string ann = server.issue_key("ann");
  const std::vector<float> silence(std::size_t(18.9 * 16000), 0.0f);
  const auto silent_bytes = encode_wav_pcm16(silence, 16000);
  const std::string silent(silent_bytes.begin(), silent_bytes.end());
  for (int i = 0; i < 4; ++i) expect_error(post_as(server, ann, "s.wav", silent, false), 422, "silent_audio");
  const std::string wav = noise_wav(18.9);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(post_as(server, ann, "a.wav", wav, false)->status, 201) << i;
}

}  // namespace
}  // namespace soundlens::test
