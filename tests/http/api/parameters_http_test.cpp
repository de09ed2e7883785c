// Upload parameters come from the same declarations as the CLI flags
// (analysis/analysis_options.h): one strict number parser, the declared
// ranges, and the operator's limits on windows and time. Refused uploads
// leave nothing behind.
#include <gtest/gtest.h>

#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {

const std::string metro = "example/metro_station-paris.wav";
const std::string long_file = "awkward/04_long_90s_concat.wav";

long stored_total(httplib::Client& c) { return json_of(c.Get("/api/v1/analyses?limit=1"))["total"].get<long>(); }

TEST(UploadParameters, EveryBadNumberFormIsRefusedNamingTheParameter) {
  TestServer server;
  auto c = server.client();
  const auto audio = read_file(shared_audio(metro));
  const long before = stored_total(c);
  const std::vector<std::pair<std::string, std::string>> bad{
      {"top_k", " 5"}, {"top_k", "5 "}, {"top_k", "1e2"}, {"top_k", "0x10"}, {"top_k", "nan"},
      {"top_k", "0"},  {"top_k", "528"}, {"window_s", "inf"}, {"window_s", "nan"}, {"hop_s", "0x1p1"},
      {"hop_s", "-1"}, {"window_s", "10abc"}};
  for (const auto& [name, value] : bad) {
    auto res = upload(c, "/api/v1/analyses", "metro.wav", audio, {{name, value, "", ""}});
    expect_error(res, 400, "bad_request");
    const auto message = json_of(res)["error"]["message"].get<std::string>();
    EXPECT_NE(message.find("parameter " + name), std::string::npos) << name << "=" << value << ": " << message;
  }
  EXPECT_EQ(stored_total(c), before);
  EXPECT_EQ(server.stored_audio_files(), 0u);
}

// A parameter given twice (as two fields, twice in the query, or in both) is refused naming it: which
// value was meant cannot be known, and taking the first silently hid the second.
TEST(UploadParameters, AParameterGivenTwiceIsRefusedNamingIt) {
  TestServer server;
  auto c = server.client();
  const auto audio = read_file(shared_audio(metro));
  const long before = stored_total(c);
  const auto expect_twice = [](const httplib::Result& res, const std::string& name) {
    expect_error(res, 400, "bad_request");
    const auto message = json_of(res)["error"]["message"].get<std::string>();
    EXPECT_NE(message.find("parameter " + name + " is given more than once"), std::string::npos) << message;
  };
  expect_twice(upload(c, "/api/v1/analyses", "metro.wav", audio, {{"top_k", "3", "", ""}, {"top_k", "7", "", ""}}),
               "top_k");
  expect_twice(upload(c, "/api/v1/analyses?top_k=3", "metro.wav", audio, {{"top_k", "3", "", ""}}), "top_k");
  expect_twice(upload(c, "/api/v1/analyses?classes=47&classes=49", "metro.wav", audio, {}), "classes");
  EXPECT_EQ(stored_total(c), before);
  EXPECT_EQ(server.stored_audio_files(), 0u);
  // A read route alike; once is fine.
  expect_twice(c.Get("/api/v1/analyses?limit=1&limit=2"), "limit");
  EXPECT_EQ(c.Get("/api/v1/analyses?limit=1")->status, 200);
}

TEST(UploadParameters, WindowsThatMultiplyTheWorkAreRefused) {
  TestServer server;
  auto c = server.client();
  auto res = upload(c, "/api/v1/analyses", "long.wav", read_file(shared_audio(long_file)),
                    {{"window_s", "60", "", ""}, {"hop_s", "0.1", "", ""}});
  expect_error(res, 400, "bad_request");
  EXPECT_NE(json_of(res)["error"]["message"].get<std::string>().find("at least 3"), std::string::npos);
}

TEST(UploadParameters, MoreWindowsThanTheLimitGive422NamingTheLimit) {
  TestServerOptions options;
  options.limits.max_windows = 20;
  TestServer server(options);
  auto c = server.client();
  const long before = stored_total(c);
  // 90 s with 10 s windows every 1 s: 81 windows.
  auto res = upload(c, "/api/v1/analyses", "long.wav", read_file(shared_audio(long_file)), {{"hop_s", "1", "", ""}});
  expect_error(res, 422, "too_many_windows");
  const auto message = json_of(res)["error"]["message"].get<std::string>();
  EXPECT_NE(message.find("81 windows"), std::string::npos) << message;
  EXPECT_NE(message.find("limit is 20"), std::string::npos) << message;
  EXPECT_EQ(stored_total(c), before);
  EXPECT_EQ(server.stored_audio_files(), 0u);
  // Event windows of their own count too: 5 s every 1 s is 86.
  auto events = upload(c, "/api/v1/analyses", "long.wav", read_file(shared_audio(long_file)),
                       {{"event_window_s", "5", "", ""}, {"event_hop_s", "1", "", ""}});
  expect_error(events, 422, "too_many_windows");
  const auto events_message = json_of(events)["error"]["message"].get<std::string>();
  EXPECT_NE(events_message.find("86 windows"), std::string::npos) << events_message;
  EXPECT_NE(events_message.find("event_hop_s"), std::string::npos) << events_message;
  EXPECT_EQ(stored_total(c), before);
  // Within the limit the same file is analysed: 17 windows, events from the same pass (event windows 0).
  auto ok = upload(c, "/api/v1/analyses", "long.wav", read_file(shared_audio(long_file)),
                   {{"event_window_s", "0", "", ""}});
  EXPECT_EQ(ok->status, 201) << ok->body;
}

TEST(UploadParameters, AnAnalysisOverItsTimeLimitGives503WithRetryAfter) {
  TestServerOptions options;
  options.limits.timeout_s = 1e-6;
  TestServer server(options);
  auto c = server.client();
  const long before = stored_total(c);
  auto res = upload(c, "/api/v1/analyses", "long.wav", read_file(shared_audio(long_file)));
  expect_error(res, 503, "timeout");
  EXPECT_TRUE(res->has_header("Retry-After"));
  EXPECT_EQ(stored_total(c), before);
  EXPECT_EQ(server.stored_audio_files(), 0u);
}

TEST(UploadParameters, PinnedClassesAreExplainedAndStored) {
  TestServer server;
  auto c = server.client();
  auto res = upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro)),
                    {{"top_k", "1", "", ""}, {"classes", "Cough,0", "", ""}});
  ASSERT_EQ(res->status, 201) << res->body;
  std::vector<int> explained;
  const auto body = json_of(res);
  ASSERT_TRUE(body.contains("explanations")) << res->body.substr(0, 400);
  for (const auto& e : body["explanations"]) explained.push_back(e["index"].get<int>());
  // Train, then the pinned Cough and Speech (events are placed in their own windows).
  EXPECT_EQ(explained, (std::vector<int>{329, 47, 0}));
  // Every window of the timeline carries the pinned classes' probabilities.
  for (const auto& w : body["timeline"]) {
    std::vector<int> tracked;
    for (const auto& k : w["classes"]) tracked.push_back(k["index"].get<int>());
    EXPECT_EQ(tracked, (std::vector<int>{329, 47, 0})) << w.dump();
  }
  auto unknown = upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro)),
                        {{"classes", "No such sound", "", ""}});
  expect_error(unknown, 400, "bad_request");
}

TEST(UploadParameters, OpenApiStatesTheDeclaredRangesAndDefaults) {
  TestServer server;
  auto c = server.client();
  const auto doc = json_of(c.Get("/openapi.json"));
  const auto& form = doc["paths"]["/api/v1/analyses"]["post"]["requestBody"]["content"]["multipart/form-data"]
                        ["schema"]["properties"];
  EXPECT_EQ(form["top_k"]["minimum"], 1);
  EXPECT_EQ(form["top_k"]["maximum"], 527);
  EXPECT_EQ(form["top_k"]["default"], 5);
  EXPECT_EQ(form["window_s"]["minimum"], 1);
  EXPECT_EQ(form["hop_s"]["minimum"], 0.1);
  EXPECT_EQ(form["classes"]["type"], "string");
}

}  // namespace
}  // namespace soundlens::test
