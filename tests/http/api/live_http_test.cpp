// Live sessions over HTTP (issue 23) through a real server in this process,
// with the real mn04_as and a real events-dev mixture sent as PCM chunks:
// the session's lines are the lines of `soundlens live --json` on the same
// audio; stopping stores the recording as an analysis with its report and
// exports; hostile chunks, ids and options; other users; the limits; a
// client that stalls.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "audio/audio.h"
#include "command_output.h"
#include "speech_audio.h"
#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

const std::string mixture = "events-dev/dev_1.flac";

// The mixture's first `seconds` as 32 kHz float samples (as the decoder gives them to `soundlens live`).
std::vector<float> mixture_samples(double seconds) {
  static const Audio audio = decode_file(shared_audio(mixture));
  const auto n = std::min(audio.samples.size(), std::size_t(seconds * 32000));
  return {audio.samples.begin(), audio.samples.begin() + long(n)};
}

std::string f32le(const std::vector<float>& samples, std::size_t from, std::size_t count) {
  std::string bytes(count * 4, '\0');
  std::memcpy(bytes.data(), samples.data() + from, count * 4);
  return bytes;
}

std::string s16le(const std::vector<float>& samples, std::size_t from, std::size_t count) {
  std::string bytes(count * 2, '\0');
  for (std::size_t i = 0; i < count; ++i) {
    const auto v = std::int16_t(std::lround(std::clamp(samples[from + i], -1.0f, 1.0f) * 32767));
    std::memcpy(bytes.data() + 2 * i, &v, 2);
  }
  return bytes;
}

// A 32 kHz mono IEEE float WAV of exactly these samples.
void write_float_wav(const fs::path& path, const std::vector<float>& samples) {
  const auto le32 = [](std::uint32_t v) { return std::string(reinterpret_cast<const char*>(&v), 4); };
  const auto le16 = [](std::uint16_t v) { return std::string(reinterpret_cast<const char*>(&v), 2); };
  const std::uint32_t data = std::uint32_t(samples.size() * 4);
  std::string wav = "RIFF" + le32(36 + data) + "WAVEfmt " + le32(16) + le16(3) + le16(1) + le32(32000) +
                    le32(32000 * 4) + le16(4) + le16(32) + "data" + le32(data) + f32le(samples, 0, samples.size());
  std::ofstream(path, std::ios::binary) << wav;
}

httplib::Headers auth_headers(const std::string& key) {
  if (key.empty()) return {};
  return {{"Authorization", "Bearer " + key}};
}

httplib::Result create(httplib::Client& c, const std::string& query = "", const std::string& key = "") {
  return c.Post(("/api/v1/live" + (query.empty() ? "" : "?" + query)).c_str(), auth_headers(key), "", "");
}

httplib::Result send(httplib::Client& c, const std::string& id, long seq, const std::string& bytes,
                     const std::string& key = "", const std::string& type = "application/octet-stream") {
  return c.Post(("/api/v1/live/" + id + "/audio?seq=" + std::to_string(seq)).c_str(), auth_headers(key), bytes,
                type.c_str());
}

httplib::Result stop(httplib::Client& c, const std::string& id, const std::string& key = "") {
  return c.Post(("/api/v1/live/" + id + "/stop").c_str(), auth_headers(key), "", "");
}

// The analysis a stop stored: at once, or once its job is done (followed as a client follows a job).
std::string stored_analysis(httplib::Client& c, const httplib::Result& stopped, const std::string& key = "") {
  EXPECT_TRUE(stopped && (stopped->status == 200 || stopped->status == 202)) << (stopped ? stopped->body : "");
  if (!stopped || stopped->status / 100 != 2) return "";
  const json body = json_of(stopped);
  if (!body["analysis_id"].is_null()) return body["analysis_id"];
  const std::string job = body["job_id"];
  for (int i = 0; i < 1200; ++i) {
    const json j = json_of(c.Get(("/api/v1/jobs/" + job).c_str(), auth_headers(key)))["job"];
    if (j["state"] == "done") return j["analysis_id"];
    if (j["state"] == "failed" || j["state"] == "cancelled") {
      ADD_FAILURE() << j.dump();
      return "";
    }
    std::this_thread::sleep_for(100ms);
  }
  ADD_FAILURE() << "the job storing the session did not end";
  return "";
}

// The JSON lines of an event stream's body (its `data:` lines).
std::vector<json> stream_lines(const std::string& body) {
  std::vector<json> lines;
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("data: ", 0) == 0) lines.push_back(json::parse(line.substr(6)));
  return lines;
}

// The whole stream of a session that has ended (it closes after the last line).
std::vector<json> ended_stream(httplib::Client& c, const std::string& id, const std::string& key = "") {
  auto res = c.Get(("/api/v1/live/" + id + "/events").c_str(), auth_headers(key));
  EXPECT_TRUE(res);
  if (!res) return {};
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/event-stream");
  return stream_lines(res->body);
}

std::vector<json> of_type(const std::vector<json>& lines, const std::set<std::string>& types) {
  std::vector<json> out;
  for (auto line : lines)
    if (types.count(line.value("type", ""))) {
      line.erase("compute_ms");  // measured: differs run to run
      // The level is over the samples pushed since the previous line, which depend on how the audio arrived
      // (the CLI takes whatever its queue holds at once; the session gets 0.5 s chunks).
      line.erase("rms_dbfs");
      line.erase("peak_dbfs");
      out.push_back(line);
    }
  return out;
}

// Sends `samples` in chunks of `chunk_s`; returns the last chunk's answer.
json send_all(httplib::Client& c, const std::string& id, const std::vector<float>& samples, double chunk_s,
              bool as_float = true, const std::string& key = "") {
  const auto step = std::size_t(chunk_s * 32000);
  json last;
  long seq = 0;
  for (std::size_t at = 0; at < samples.size(); at += step) {
    const auto n = std::min(step, samples.size() - at);
    auto res = send(c, id, seq++, as_float ? f32le(samples, at, n) : s16le(samples, at, n), key);
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    if (!res || res->status != 200) break;
    last = json_of(res);
  }
  return last;
}

std::string session_id(const httplib::Result& res) {
  EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no response");
  return res && res->status == 201 ? json_of(res)["id"].get<std::string>() : std::string(32, '0');
}

TEST(LiveHttp, LinesAreTheCliLinesAndTheStopStoresTheRecording) {
  TestServer server;
  auto c = server.client();
  const auto samples = mixture_samples(60);
  const std::string id = session_id(create(c, "format=f32le&rate=32000&class=Cough"));
  EXPECT_EQ(id.size(), 32u);

  // A reader that follows the stream while the audio arrives.
  std::atomic<int> hops_while_playing = 0;
  std::atomic<bool> sending = true;
  std::string followed;  // all the reader saw, through the stop and its job to `stored`
  std::thread reader([&] {
    auto rc = server.client();
    rc.Get(("/api/v1/live/" + id + "/events").c_str(), [&](const char* data, std::size_t n) {
      if (sending && std::string(data, n).find("\"type\":\"hop\"") != std::string::npos) ++hops_while_playing;
      followed.append(data, n);
      return true;
    });
  });
  const json last = send_all(c, id, samples, 0.5);
  sending = false;
  EXPECT_EQ(last["next_seq"], 120);
  EXPECT_NEAR(last["heard_s"].get<double>(), 60.0, 1e-6);
  EXPECT_EQ(last["dropped_windows"], 0);
  const auto asked_stop = std::chrono::steady_clock::now();
  auto stopped = stop(c, id);
  const double stop_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - asked_stop).count();
  // The stop returns at once: the analysis is a job, queued or running, followed on the session's stream.
  ASSERT_TRUE(stopped && stopped->status == 202) << (stopped ? stopped->body : "");
  const json answer = json_of(stopped);
  EXPECT_TRUE(answer["analysis_id"].is_null());
  EXPECT_TRUE(answer["job"]["state"] == "queued" || answer["job"]["state"] == "running") << answer.dump();
  EXPECT_EQ(stopped->get_header_value("Location"), "/api/v1/jobs/" + answer["job_id"].get<std::string>());
  const std::string analysis_id = stored_analysis(c, stopped);
  reader.join();
  std::cout << "[ measured ] stop of a 60 s session answered in " << stop_s * 1000 << " ms\n";
  EXPECT_GT(hops_while_playing.load(), 0) << "hop lines arrive while the audio plays";

  // The same samples through `soundlens live` (the CLI reads them as a 32 kHz float WAV: no conversion).
  const fs::path wav = server.data_dir() / "first60.wav";
  write_float_wav(wav, samples);
  const auto cli = run_command(soundlens_binary() + " live --input '" + wav.string() + "' --pace 0 --json --class Cough "
                               "--model-dir '" + models_dir() + "' 2>/dev/null");
  ASSERT_EQ(cli.status, 0) << cli.out;
  std::vector<json> cli_lines;
  std::istringstream in(cli.out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line.front() == '{') cli_lines.push_back(json::parse(line));

  const auto lines = ended_stream(c, id);
  const std::set<std::string> compared{"hop", "event_start", "event"};
  const auto ours = of_type(lines, compared), theirs = of_type(cli_lines, compared);
  EXPECT_GT(of_type(ours, {"event"}).size(), 3u);
  ASSERT_EQ(ours.size(), theirs.size());
  for (std::size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], theirs[i]) << "line " << i;
  auto summary = of_type(lines, {"summary"}), cli_summary = of_type(cli_lines, {"summary"});
  ASSERT_EQ(summary.size(), 1u);
  ASSERT_EQ(cli_summary.size(), 1u);
  EXPECT_EQ(summary[0]["ended_by"], "stopped");
  for (const char* key : {"events", "event_counts", "windows", "dropped_windows", "duration_s"})
    EXPECT_EQ(summary[0][key], cli_summary[0][key]) << key;
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back()["type"], "stored");
  EXPECT_EQ(lines.back()["analysis_id"], analysis_id);
  // Between the summary and `stored`: the job's lines, its progress going forward (as the reader that
  // followed the session through its stop saw them).
  const auto job_lines = of_type(stream_lines(followed), {"job"});
  EXPECT_EQ(stream_lines(followed).back()["type"], "stored");
  ASSERT_GE(job_lines.size(), 2u);
  EXPECT_EQ(job_lines.front()["job_id"], answer["job_id"]);
  double progress = -1;
  for (const auto& l : job_lines)
    if (l.contains("progress")) {
      EXPECT_GE(l["progress"].get<double>(), progress);
      progress = l["progress"].get<double>();
    }
  EXPECT_GT(progress, 0.0);

  // Stored as an upload of the recording is: its audio, events, exports and report.
  auto stored = c.Get(("/api/v1/analyses/" + analysis_id).c_str());
  ASSERT_TRUE(stored && stored->status == 200);
  const json a = json_of(stored);
  EXPECT_NEAR(a["duration_s"].get<double>(), 60.0, 0.05);
  EXPECT_FALSE(a["events"].empty());
  for (const char* route : {"/audio", "/events.csv", "/raven.txt", "/report.pdf"}) {
    auto res = c.Get(("/api/v1/analyses/" + analysis_id + route).c_str());
    EXPECT_TRUE(res && res->status == 200) << route;
  }
  // Every stop answers the same; the session takes no more audio; the recording is not left behind.
  auto again = stop(c, id);
  ASSERT_TRUE(again && again->status == 200) << (again ? again->body : "");
  EXPECT_EQ(json_of(again)["analysis_id"], analysis_id);
  expect_error(send(c, id, 120, f32le(samples, 0, 16000)), 410, "gone");
  EXPECT_TRUE(fs::is_empty(server.data_dir() / "data" / "live"));
}

TEST(LiveHttp, HostileChunksAreRefusedAndNothingHeardIsLost) {
  TestServer server;
  auto c = server.client();
  const auto samples = mixture_samples(4);
  const std::string id = session_id(create(c));  // s16le at 32 kHz
  const std::string half = s16le(samples, 0, 16000);
  ASSERT_EQ(send(c, id, 0, half)->status, 200);
  expect_error(send(c, id, 0, half), 400, "bad_request");   // again: already received
  expect_error(send(c, id, 5, half), 400, "bad_request");   // a gap
  EXPECT_NE(json_of(send(c, id, 2, half))["error"]["message"].get<std::string>().find("next chunk is seq 1"),
            std::string::npos);
  expect_error(send(c, id, -1, half), 400, "bad_request");
  expect_error(c.Post(("/api/v1/live/" + id + "/audio").c_str(), half, "application/octet-stream"), 400);  // no seq
  expect_error(c.Post(("/api/v1/live/" + id + "/audio?seq=abc").c_str(), half, "application/octet-stream"), 400);
  expect_error(c.Post(("/api/v1/live/" + id + "/audio?seq=1e3").c_str(), half, "application/octet-stream"), 400);
  expect_error(send(c, id, 1, ""), 400, "bad_request");                        // empty
  expect_error(send(c, id, 1, half + "x"), 400, "bad_request");                // half a sample
  expect_error(send(c, id, 1, half, "", "audio/wav"), 400, "bad_request");     // not raw PCM
  expect_error(send(c, id, 1, std::string(32000 * 2 * 11, '\0')), 413, "too_large");  // 11 s
  // Nothing of the refused chunks was taken: seq 1 is still next, and 0.5 s heard.
  auto ok = send(c, id, 1, half);
  ASSERT_TRUE(ok && ok->status == 200);
  EXPECT_EQ(json_of(ok)["next_seq"], 2);
  EXPECT_NEAR(json_of(ok)["heard_s"].get<double>(), 1.0, 1e-9);

  // Float chunks that are not finite.
  const std::string fid = session_id(create(c, "format=f32le"));
  std::string bad = f32le(samples, 0, 1600);
  const float nan = std::nanf("");
  std::memcpy(bad.data() + 400, &nan, 4);
  expect_error(send(c, fid, 0, bad), 422, "invalid_samples");
  EXPECT_EQ(send(c, fid, 0, f32le(samples, 0, 1600))->status, 200);

  // Unknown, malformed and huge ids.
  for (const std::string& other : {std::string(32, 'a'), std::string("../../etc"), std::string(5000, 'f')}) {
    expect_error(send(c, other, 0, half), 404, "not_found");
    expect_error(stop(c, other), 404, "not_found");
    expect_error(c.Get(("/api/v1/live/" + other + "/events").c_str()), 404, "not_found");
  }
}

TEST(LiveHttp, BadOptionsAreRefusedNamingThem) {
  TestServer server;
  auto c = server.client();
  const std::vector<std::pair<std::string, std::string>> cases{
      {"window_s=0.1", "window_s"}, {"window_s=nan", "window_s"}, {"hop_s=3", "hop-s"},
      {"format=mp3", "format"},     {"rate=0", "rate"},           {"rate=99999999", "rate"},
      {"class=Nope", "class"},      {"model=fused", "model"},     {"model=bogus", "model"},
      {"top_k=0", "top_k"},         {"settle_s=-1", "settle_s"},  {"windw_s=2", "windw_s"},
      {"event_threshold=2", "event_threshold"}};
  for (const auto& [query, name] : cases) {
    auto res = create(c, query);
    expect_error(res, 400, "bad_request");
    if (res) EXPECT_NE(res->body.find(name), std::string::npos) << query << ": " << res->body;
  }
  EXPECT_EQ(server.service().handlers().count("createLiveSession"), 1u);
}

TEST(LiveHttp, SessionsAreTheirUsersAndWithinTheLimits) {
  TestServerOptions options;
  options.auth = auth::AuthMode::required;
  options.max_live_sessions = 3;
  options.max_live_sessions_per_user = 2;
  options.rate_limits.audio_seconds_per_minute = 3;
  TestServer server(options);
  auto c = server.client();
  const std::string alice = server.issue_key("alice"), bob = server.issue_key("bob");
  expect_error(create(c), 401);
  const std::string a1 = session_id(create(c, "", alice));
  const std::string a2 = session_id(create(c, "", alice));
  auto third = create(c, "", alice);
  expect_error(third, 429, "quota_exceeded");
  ASSERT_TRUE(third);
  EXPECT_FALSE(third->get_header_value("Retry-After").empty());
  EXPECT_NE(third->body.find("--max-live-sessions-per-user"), std::string::npos);
  const std::string b1 = session_id(create(c, "", bob));
  auto full = create(c, "", bob);
  expect_error(full, 429, "quota_exceeded");
  EXPECT_NE(full->body.find("--max-live-sessions 3"), std::string::npos);

  // Bob cannot see, feed or stop Alice's session: 404 as if unknown.
  const auto samples = mixture_samples(5);
  const std::string second = s16le(samples, 0, 32000);
  expect_error(send(c, a1, 0, second, bob), 404, "not_found");
  expect_error(stop(c, a1, bob), 404, "not_found");
  expect_error(c.Get(("/api/v1/live/" + a1 + "/events").c_str(), auth_headers(bob)), 404, "not_found");

  // The audio budget (3 s a minute) is charged as chunks arrive: the fourth second is refused, not taken.
  for (long seq = 0; seq < 3; ++seq) ASSERT_EQ(send(c, a1, seq, second, alice)->status, 200);
  auto over = send(c, a1, 3, second, alice);
  expect_error(over, 429);
  EXPECT_FALSE(over->get_header_value("Retry-After").empty());

  // Stopped, it is Alice's analysis: hers to read, 404 for Bob.
  const std::string analysis = stored_analysis(c, stop(c, a1, alice), alice);
  EXPECT_EQ(c.Get(("/api/v1/analyses/" + analysis).c_str(), auth_headers(alice))->status, 200);
  expect_error(c.Get(("/api/v1/analyses/" + analysis).c_str(), auth_headers(bob)), 404);
  EXPECT_NEAR(json_of(c.Get(("/api/v1/analyses/" + analysis).c_str(), auth_headers(alice)))["duration_s"].get<double>(),
              3.0, 0.01);
  // With one ended, a new one may start.
  EXPECT_EQ(create(c, "", alice)->status, 201);
  (void)a2, (void)b1;
}

TEST(LiveHttp, AStalledClientsSessionEndsStoredUpToWhereItWas) {
  TestServerOptions options;
  options.live_idle_timeout_s = 1;
  options.store_audio = false;
  TestServer server(options);
  auto c = server.client();
  const auto samples = mixture_samples(6);
  const std::string id = session_id(create(c));
  send_all(c, id, samples, 0.5, false);
  // The stream ends by itself once the stalled session is stored.
  const auto lines = ended_stream(c, id);
  ASSERT_GE(lines.size(), 2u);
  const json summary = of_type(lines, {"summary"}).at(0);
  EXPECT_EQ(summary["ended_by"], "idle timeout");
  EXPECT_NEAR(summary["duration_s"].get<double>(), 6.0, 1e-6);
  ASSERT_EQ(lines.back()["type"], "stored");
  const std::string analysis = lines.back()["analysis_id"];
  auto stored = c.Get(("/api/v1/analyses/" + analysis).c_str());
  ASSERT_TRUE(stored && stored->status == 200);
  EXPECT_EQ(json_of(stored)["audio_stored"], false);  // --store-audio no holds for sessions
  expect_error(c.Get(("/api/v1/analyses/" + analysis + "/audio").c_str()), 410, "gone");
  EXPECT_EQ(server.stored_audio_files(), 0u);
  EXPECT_TRUE(fs::is_empty(server.data_dir() / "data" / "live"));
  // The client that comes back gets the same analysis, and its late chunk a clear 410.
  EXPECT_EQ(json_of(stop(c, id))["analysis_id"], analysis);
  expect_error(send(c, id, 12, s16le(samples, 0, 1600)), 410, "gone");
}

TEST(LiveHttp, AChunkHoldingMoreThanTheLagDropsItsWindowsAndSaysSo) {
  TestServer server;
  auto c = server.client();
  const auto samples = mixture_samples(8);
  const std::string id = session_id(create(c, "max_lag_s=1"));
  ASSERT_EQ(send(c, id, 0, s16le(samples, 0, 16000))->status, 200);
  auto late = send(c, id, 1, s16le(samples, 16000, 6 * 32000));  // 6 s at once: the client fell behind
  ASSERT_TRUE(late && late->status == 200);
  EXPECT_GT(json_of(late)["dropped_windows"].get<long>(), 0);
  ASSERT_EQ(stop(c, id)->status, 202);
  const auto lines = ended_stream(c, id);
  bool warned = false;
  for (const auto& l : lines) warned = warned || (l["type"] == "warning" && l["message"].get<std::string>().find("behind") != std::string::npos);
  EXPECT_TRUE(warned);
  EXPECT_GT(of_type(lines, {"summary"}).at(0)["dropped_windows"].get<long>(), 0);
}

// --redact-speech holds for sessions: the speech is silenced before the recording is stored.
TEST(LiveHttp, WithRedactSpeechTheStoredRecordingHasItsSpeechSilenced) {
  TestServerOptions options;
  options.redact_speech = true;
  TestServer server(options);
  auto c = server.client();
  double cough_from_s = 0;
  const Audio speech = speech_then_cough(librispeech_clip(6), &cough_from_s);  // speech, then a cough
  ASSERT_FALSE(speech.samples.empty());
  const std::string id = session_id(create(c, "format=f32le"));
  send_all(c, id, speech.samples, 0.5);
  const std::string analysis = stored_analysis(c, stop(c, id));
  const json a = json_of(c.Get(("/api/v1/analyses/" + analysis).c_str()));
  ASSERT_TRUE(a.contains("redaction")) << a.dump().substr(0, 300);
  EXPECT_FALSE(a["redaction"]["spans"].empty());
  auto audio = c.Get(("/api/v1/analyses/" + analysis + "/audio").c_str());
  ASSERT_TRUE(audio && audio->status == 200);
  const Audio stored = decode_memory({reinterpret_cast<const std::uint8_t*>(audio->body.data()), audio->body.size()});
  const auto silenced = silenced_runs(speech, stored);
  ASSERT_FALSE(silenced.empty()) << "the stored recording still has all its speech";
  EXPECT_LT(silenced.front().start_s, cough_from_s);
  EXPECT_GT(sound_kept(speech, stored, cough_from_s, speech.duration_s()), 0.9) << "the cough is kept";
  EXPECT_TRUE(fs::is_empty(server.data_dir() / "data" / "live"));
}

TEST(LiveHttp, StoppingASessionThatHeardNothingSaysSo) {
  TestServer server;
  auto c = server.client();
  const std::string id = session_id(create(c));
  auto res = stop(c, id);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status / 100, 4) << res->body;
  expect_error(res, res->status);
}

// Whoever ends a session, its analysis is audited once, as a "create" in the name of the user who made it:
// the user's stop and the idle timeout's alike.
TEST(LiveHttp, AStopByTheIdleTimeoutIsAuditedAsTheUsersStopIs) {
  TestServerOptions options;
  options.auth = auth::AuthMode::required;
  options.live_idle_timeout_s = 1;
  TestServer server(options);
  auto c = server.client();
  const std::string alice = server.issue_key("alice");
  const auto samples = mixture_samples(4);
  const std::string stopped_id = session_id(create(c, "", alice)), stalled_id = session_id(create(c, "", alice));
  send_all(c, stopped_id, samples, 0.5, false, alice);
  send_all(c, stalled_id, samples, 0.5, false, alice);
  const std::string by_user = stored_analysis(c, stop(c, stopped_id, alice), alice);
  const auto lines = ended_stream(c, stalled_id, alice);  // ends once the stalled session is stored
  ASSERT_FALSE(lines.empty());
  ASSERT_EQ(lines.back()["type"], "stored") << lines.back().dump();
  EXPECT_EQ(of_type(lines, {"summary"}).at(0)["ended_by"], "idle timeout");
  const std::string by_timeout = lines.back()["analysis_id"];
  std::map<std::string, std::vector<AuditRecord>> creates;
  for (const auto& r : server.auth_store().list_audit(100, 0).items)
    if (r.action == "create") creates[r.analysis_id].push_back(r);
  for (const auto& id : {by_user, by_timeout}) {
    ASSERT_EQ(creates[id].size(), 1u) << id;
    EXPECT_EQ(creates[id][0].user_name, "alice");
    ASSERT_TRUE(creates[id][0].user_id.has_value());
    EXPECT_FALSE(creates[id][0].key_id.empty());
  }
  EXPECT_EQ(creates[by_user][0].user_id, creates[by_timeout][0].user_id);
  EXPECT_EQ(creates[by_user][0].key_id, creates[by_timeout][0].key_id);
}

// A class pinned during the session is watched from then on: in every later hop line, counted in the
// summary even without an event, and asked of the stored analysis.
TEST(LiveHttp, AClassPinnedDuringTheSessionIsWatchedFromThenOn) {
  TestServer server;
  auto c = server.client();
  const auto samples = mixture_samples(12);
  const std::string id = session_id(create(c, "format=f32le"));
  const auto half = std::size_t(6 * 32000);
  send_all(c, id, {samples.begin(), samples.begin() + long(half)}, 0.5);
  const auto watch = [&](const std::string& id, const std::string& query) {
    return c.Post(("/api/v1/live/" + id + "/watch" + query).c_str(), "", "");
  };
  // Snoring: not in this mixture, so only pinning counts it.
  auto pinned = watch(id, "?class=Snoring");
  ASSERT_TRUE(pinned && pinned->status == 200) << (pinned ? pinned->body : "");
  ASSERT_EQ(json_of(pinned)["watched"].size(), 1u);
  const int snoring = json_of(pinned)["watched"][0];
  // By index: the same class, once.
  EXPECT_EQ(json_of(watch(id, "?class=" + std::to_string(snoring)))["watched"], json::array({snoring}));
  // The rest of the audio, carrying on from seq 12.
  for (std::size_t at = half, seq = 12; at < samples.size(); at += 16000, ++seq)
    ASSERT_EQ(send(c, id, long(seq), f32le(samples, at, std::min<std::size_t>(16000, samples.size() - at)))->status, 200);
  // Hostile pins: refused, nothing changed.
  expect_error(watch(id, "?class=No%20such%20class"), 400, "bad_request");
  expect_error(watch(id, ""), 400, "bad_request");
  expect_error(watch(id, "?class=99999"), 400, "bad_request");
  expect_error(watch(std::string(32, 'a'), "?class=Cough"), 404, "not_found");
  const std::string stored = stored_analysis(c, stop(c, id));
  expect_error(watch(id, "?class=Speech"), 410, "gone");

  const auto lines = ended_stream(c, id);
  const auto hops = of_type(lines, {"hop"});
  std::size_t before = 0, after = 0;
  for (const auto& h : hops) {
    const bool has = !h["watched"].empty() && h["watched"][0]["index"] == snoring;
    if (h["time_s"].get<double>() <= 6.0 + 1e-9) before += has;
    else after += has;
    if (h["time_s"].get<double>() > 6.5) EXPECT_TRUE(has) << h.dump();
  }
  EXPECT_EQ(before, 0u);
  EXPECT_GE(after, 10u);
  const json summary = of_type(lines, {"summary"}).at(0);
  bool counted = false;
  for (const auto& count : summary["event_counts"]) counted = counted || count["index"] == snoring;
  EXPECT_TRUE(counted) << summary["event_counts"].dump();
  const json a = json_of(c.Get(("/api/v1/analyses/" + stored).c_str()));
  EXPECT_NE(a.dump().find("\"Snoring\""), std::string::npos) << "asked of the stored analysis";

  // At most 32 classes.
  const std::string many = session_id(create(c));
  for (int k = 0; k < 32; ++k) ASSERT_EQ(watch(many, "?class=" + std::to_string(k))->status, 200) << k;
  auto over = watch(many, "?class=40");
  expect_error(over, 400, "bad_request");
  EXPECT_NE(over->body.find("at most 32"), std::string::npos);
}

// A session's chunks at real time are one request for --rate-limit-rpm; a client cannot use that to send
// without limit: chunks ahead of real time, many tiny chunks, refused chunks (wrong seq, too large) and
// chunks for unknown sessions count as requests, and are refused (429) once the key's minute is spent.
TEST(LiveHttp, ChunksAreNotRequestsWhileAtRealTimeButAHostileClientIsLimited) {
  TestServerOptions options;
  options.auth = auth::AuthMode::required;
  options.rate_limits.requests_per_minute = 4;
  TestServer server(options);
  auto c = server.client();
  const std::string alice = server.issue_key("alice"), bob = server.issue_key("bob"), carol = server.issue_key("carol"),
                    dave = server.issue_key("dave");
  const auto samples = mixture_samples(12);

  // Alice: 16 chunks of 0.5 s (8 s, within 10 s of real time) on a 4-requests key: all taken.
  const std::string a = session_id(create(c, "", alice));  // request 1
  for (long seq = 0; seq < 16; ++seq)
    ASSERT_EQ(send(c, a, seq, s16le(samples, std::size_t(seq) * 16000, 16000), alice)->status, 200) << seq;
  // Ahead of real time now (8 s heard at once, then 3 s chunks): the chunks count, and the key's minute
  // (3 requests left) runs out.
  int taken = 0;
  long seq = 16;
  for (int i = 0; i < 10; ++i) {
    auto r = send(c, a, seq, s16le(samples, 0, 3 * 32000), alice);
    if (!r || r->status != 200) {
      expect_error(r, 429);
      EXPECT_FALSE(r->get_header_value("Retry-After").empty());
      break;
    }
    ++taken, ++seq;
  }
  EXPECT_LT(taken, 10);
  EXPECT_LE(taken, 5);  // the one or two still within 10 s of real time, then the key's 3 requests
  expect_error(send(c, a, seq, "", alice), 429);  // counted before it is even looked at
  expect_error(create(c, "", alice), 429);

  // Bob: tiny chunks (one sample each) as fast as they go: the session's allowance (20 at once) then 3
  // counted, then refused; nothing refused was taken.
  const std::string b = session_id(create(c, "", bob));
  long ok = 0;
  for (long s = 0; s < 40; ++s) {
    auto r = send(c, b, s, s16le(samples, std::size_t(s), 1), bob);
    if (!r || r->status != 200) {
      expect_error(r, 429);
      break;
    }
    ++ok;
  }
  EXPECT_GE(ok, 20);
  EXPECT_LE(ok, 35);  // 20, 4 more per second of the session's life (well under 2 s here), and 3 counted

  // Carol: chunks with a wrong seq and chunks too large are refused, and count all the same.
  const std::string cs = session_id(create(c, "", carol));
  int refused = 0;
  for (int i = 0; i < 40; ++i) {
    auto r = send(c, cs, 7, s16le(samples, 0, 1600), carol);  // never the next seq
    if (r && r->status == 429) break;
    EXPECT_EQ(r->status, 400);
    ++refused;
  }
  EXPECT_GE(refused, 20);
  EXPECT_LE(refused, 35);
  expect_error(send(c, cs, 0, s16le(samples, 0, 1600), carol), 429);

  // Dave: chunks for a session that is not there (or is not his) count from the first.
  int unknown = 0;
  for (int i = 0; i < 10; ++i) {
    auto r = send(c, std::string(32, 'e'), 0, s16le(samples, 0, 1600), dave);
    if (r && r->status == 429) break;
    EXPECT_EQ(r->status, 404);
    ++unknown;
  }
  EXPECT_EQ(unknown, 4);
  expect_error(send(c, b, 0, s16le(samples, 0, 1600), dave), 429);  // Bob's session: not Dave's allowance
}

}  // namespace
}  // namespace soundlens::test
