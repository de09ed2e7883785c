// Privacy for recordings of people, through the real server on real audio:
// --store-audio no (the upload never reaches the disk, the viewer's results
// stay readable, routes needing the audio answer 410), and the report and
// exports of one user's analysis holding nothing of another user's.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "analysis_events/analysis_events.h"
#include "audio/audio.h"
#include "audio/wav_writer.h"
#include "exports/exports.h"
#include "model/model_registry.h"
#include "privacy/speech_classes.h"
#include "speech_audio.h"
#include "test_paths.h"
#include "command_output.h"
#include "test_server.h"

namespace soundlens::test {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

const std::string cough_file = "cough/00096021-2cb2-4098-b906-4878a5e225a3.flac";
const std::string cough_only_file = "cough/008c73c3-04ab-427a-9beb-cf17497bcac2.flac";  // no speech
const std::string dog_file = "esc50-sample/4-182395-A-0.flac";  // ESC-50 class 0: dog

httplib::Headers bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

httplib::Result get(TestServer& server, const std::string& path, const httplib::Headers& headers = {}) {
  auto c = server.client();
  return c.Get(path.c_str(), headers);
}

// Every regular file under the data directory whose bytes contain the upload
// (a copy of it), or which sits in audio/ or jobs/ at all.
std::vector<std::string> audio_left_on_disk(const fs::path& data_dir, const std::string& upload) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(data_dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string parent = entry.path().parent_path().filename().string();
    if (parent == "audio" || parent == "jobs") {
      found.push_back(entry.path().string());
      continue;
    }
    if (entry.file_size() < upload.size()) continue;
    if (read_file(entry.path().string()).find(upload) != std::string::npos) found.push_back(entry.path().string());
  }
  return found;
}

json wait_for_job(TestServer& server, const std::string& id) {
  json job;
  for (int i = 0; i < 600; ++i) {
    job = json_of(get(server, "/api/v1/jobs/" + id))["job"];
    if (job["state"] != "queued" && job["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return job;
}

// The routes that need the recording answer 410 gone with a message saying why; the rest works.
void expect_audio_free(TestServer& server, const std::string& id, int top_class) {
  const std::string base = "/api/v1/analyses/" + id;
  const auto analysis = get(server, base);
  ASSERT_EQ(analysis->status, 200);
  EXPECT_EQ(json_of(analysis)["audio_stored"], false);
  for (const std::string path : {base + "/figure.png", base + "/figure.png?class=" + std::to_string(top_class),
                                 base + "/figure.png?overlay=0"}) {
    const auto figure = get(server, path);
    ASSERT_TRUE(figure);
    EXPECT_EQ(figure->status, 200) << path << " " << figure->body.substr(0, 300);
    EXPECT_EQ(figure->body.substr(1, 3), "PNG") << path;
  }
  const auto spectrogram = get(server, base + "/spectrogram");
  ASSERT_EQ(spectrogram->status, 200) << spectrogram->body.substr(0, 300);
  EXPECT_FALSE(json_of(spectrogram)["values"].empty()) << spectrogram->body.substr(0, 300);
  EXPECT_EQ(get(server, base + "/events.csv")->status, 200);

  for (const std::string path : {base + "/audio", base + "/explanation.wav", base + "/explanation",
                                 base + "/explanation?class=300", base + "/figure.png?class=300",
                                 base + "/spectrogram?start_s=0&end_s=1", base + "/report.pdf"}) {
    SCOPED_TRACE(path);
    const auto gone = get(server, path);
    expect_error(gone, 410, "gone");
    if (gone) EXPECT_NE(json_of(gone)["error"]["message"].get<std::string>().find("does not keep recordings"),
                        std::string::npos);
  }
}

TEST(StoreAudioNo, TheUploadNeverReachesTheDiskAndTheViewerStillWorks) {
  TestServer server({.store_audio = false});
  const fs::path data = server.data_dir() / "data";
  const std::string upload_bytes = read_file(shared_audio(cough_only_file));
  auto c = server.client();
  const json health = json_of(c.Get("/health"));
  EXPECT_EQ(health["store_audio"], false);

  auto created = upload(c, "/api/v1/analyses", "patient.flac", upload_bytes);
  ASSERT_EQ(created->status, 201) << created->body;
  const json result = json_of(created);
  EXPECT_EQ(result["audio_stored"], false);
  ASSERT_EQ(result["predictions"][0]["index"], 47);  // Cough
  for (const auto& p : result["predictions"]) ASSERT_NE(p["index"], 300);  // the class asked for below is not explained
  EXPECT_EQ(audio_left_on_disk(data, upload_bytes), std::vector<std::string>{});
  EXPECT_EQ(server.stored_audio_files(), 0u);
  expect_audio_free(server, result["id"], 47);

  // A job: its temporary upload is gone once the job is final, and only the results remain.
  const httplib::MultipartFormDataItems form{{"file", upload_bytes, "job.flac", "audio/flac"},
                                             {"async", "1", "", ""}};
  auto submitted = c.Post("/api/v1/analyses", form);
  ASSERT_EQ(submitted->status, 202) << submitted->body;
  const json job = wait_for_job(server, json_of(submitted)["job"]["id"]);
  ASSERT_EQ(job["state"], "done") << job.dump();
  EXPECT_EQ(audio_left_on_disk(data, upload_bytes), std::vector<std::string>{});
  expect_audio_free(server, job["analysis_id"], 47);

  // Deleting still removes the rest (the cached figures).
  ASSERT_EQ(c.Delete(("/api/v1/analyses/" + result["id"].get<std::string>()).c_str())->status, 200);
  EXPECT_FALSE(fs::exists(data / "cache" / result["id"].get<std::string>()));
}

TEST(StoreAudioNo, OpenApiDeclaresTheGoneAnswers) {
  TestServer server({.load_model = false, .store_audio = false});
  const json doc = json_of(server.client().Get("/openapi.json"));
  for (const std::string path : {"/api/v1/analyses/{id}/audio", "/api/v1/analyses/{id}/explanation.wav",
                                 "/api/v1/analyses/{id}/explanation", "/api/v1/analyses/{id}/spectrogram",
                                 "/api/v1/analyses/{id}/report.pdf", "/api/v1/analyses/{id}/figure.png"})
    EXPECT_TRUE(doc["paths"][path]["get"]["responses"].contains("410")) << path;
  EXPECT_FALSE(doc["paths"]["/api/v1/analyses/{id}/events.csv"]["get"]["responses"].contains("410"));
  EXPECT_TRUE(doc["components"]["schemas"]["Health"]["properties"].contains("store_audio"));
}

TEST(StoreAudioYes, IsTheDefaultAndKeepsTheRecording) {
  TestServer server;
  auto c = server.client();
  EXPECT_EQ(json_of(c.Get("/health"))["store_audio"], true);
  auto created = upload(c, "/api/v1/analyses", "kept.flac", read_file(shared_audio(cough_file)));
  ASSERT_EQ(created->status, 201);
  EXPECT_FALSE(json_of(created).contains("audio_stored"));
  EXPECT_EQ(server.stored_audio_files(), 1u);
  EXPECT_EQ(get(server, "/api/v1/analyses/" + json_of(created)["id"].get<std::string>() + "/audio")->status, 200);
}

// --- --redact-speech ---

double rms(const Audio& a, double from_s, double to_s) {
  const auto s0 = std::size_t(from_s * a.sample_rate);
  const auto s1 = std::min(a.samples.size(), std::size_t(to_s * a.sample_rate));
  double sum = 0;
  for (std::size_t i = s0; i < s1; ++i) sum += double(a.samples[i]) * a.samples[i];
  return s1 > s0 ? std::sqrt(sum / double(s1 - s0)) : 0;
}

// The issue's test: speech, then a cough. The speech is the first second of a
// telephone recording where the reference PyTorch model hears speech (1 s
// windows from 0 to 0.75 s: Speech 0.64-0.82, Cough <= 0.05); the cough is a
// recording without speech (Speech <= 0.04 in every window).
TEST(RedactSpeech, TheStoredAudioIsSilentWhereTheSpeechWasAndCoughIsStillFound) {
  const Audio talk = decode_file(shared_audio(cough_file), {});
  const Audio cough = decode_file(shared_audio(cough_only_file), {});
  Audio built;
  built.samples.assign(talk.samples.begin(), talk.samples.begin() + 32000);  // 1.0 s of speech
  built.samples.insert(built.samples.end(), cough.samples.begin(), cough.samples.end());
  const auto wav = encode_wav_pcm16(built.samples, 32000);
  const std::string upload_bytes(wav.begin(), wav.end());
  const Audio original = decode_memory(wav, {});
  ASSERT_GT(rms(original, 0.05, 0.95), 1e-3);  // there is sound to silence

  TestServer server({.redact_speech = true});
  auto c = server.client();
  EXPECT_EQ(json_of(c.Get("/health"))["redact_speech"], true);
  auto created = upload(c, "/api/v1/analyses", "speech-then-cough.wav", upload_bytes);
  ASSERT_EQ(created->status, 201) << created->body;
  const json result = json_of(created);
  const json& redaction = result["redaction"];
  ASSERT_FALSE(redaction["spans"].empty()) << redaction.dump();
  EXPECT_LE(redaction["spans"][0]["start_s"].get<double>(), 0.05) << redaction.dump();
  EXPECT_GE(redaction["spans"][0]["end_s"].get<double>(), 0.95) << redaction.dump();
  EXPECT_GT(redaction["fraction"].get<double>(), 0.1);
  EXPECT_LT(redaction["fraction"].get<double>(), 0.5);
  bool cough_found = false;
  for (const auto& p : result["predictions"]) cough_found |= p["index"] == 47;
  EXPECT_TRUE(cough_found) << result["predictions"].dump();
  // Not the speech any more: the analysis is of what is kept.
  for (const auto& p : result["predictions"]) EXPECT_NE(p["index"], 0) << result["predictions"].dump();

  const auto stored = c.Get(("/api/v1/analyses/" + result["id"].get<std::string>() + "/audio").c_str());
  ASSERT_EQ(stored->status, 200);
  EXPECT_EQ(stored->get_header_value("Content-Type"), "audio/wav");
  const std::vector<std::uint8_t> stored_bytes(stored->body.begin(), stored->body.end());
  const Audio kept = decode_memory(stored_bytes, {});
  ASSERT_EQ(kept.samples.size(), original.samples.size());
  EXPECT_LT(rms(kept, 0.05, 0.95), 1e-5);                            // silent where the speech was
  const double end_s = original.duration_s();
  // The cough (at about 2.5 and 4.3 s) untouched: at most window_s - hop_s beside the speech goes with it.
  EXPECT_LE(redaction["spans"].back()["end_s"].get<double>(), 1.0 + 0.75 + 1e-9) << redaction.dump();
  EXPECT_NEAR(rms(kept, 1.75, end_s), rms(original, 1.75, end_s), 1e-4);
  // The explanation of Cough still works on what is kept.
  const auto explanation = c.Get(("/api/v1/analyses/" + result["id"].get<std::string>() +
                                  "/explanation?class=47&faithfulness=0").c_str());
  EXPECT_EQ(explanation->status, 200) << explanation->body.substr(0, 300);

  // The same upload as a job (async=1; also what a long upload becomes): redacted before it is stored too.
  const httplib::MultipartFormDataItems form{{"file", upload_bytes, "job.wav", "audio/wav"}, {"async", "1", "", ""}};
  auto submitted = c.Post("/api/v1/analyses", form);
  ASSERT_EQ(submitted->status, 202) << submitted->body;
  const json job = wait_for_job(server, json_of(submitted)["job"]["id"]);
  ASSERT_EQ(job["state"], "done") << job.dump();
  const std::string job_analysis = job["analysis_id"];
  EXPECT_FALSE(json_of(c.Get(("/api/v1/analyses/" + job_analysis).c_str()))["redaction"]["spans"].empty());
  const auto job_audio = c.Get(("/api/v1/analyses/" + job_analysis + "/audio").c_str());
  ASSERT_EQ(job_audio->status, 200);
  const Audio job_kept = decode_memory(std::vector<std::uint8_t>(job_audio->body.begin(), job_audio->body.end()), {});
  EXPECT_LT(rms(job_kept, 0.05, 0.95), 1e-5);

  // A comparison of two models would store the upload as sent: refused on this server, nothing stored.
  const auto before = json_of(c.Get("/api/v1/analyses"))["total"].get<int>();
  auto compared = c.Post("/api/v1/analyses", httplib::MultipartFormDataItems{
                                                 {"file", upload_bytes, "both.wav", "audio/wav"},
                                                 {"models", "mn04_as,yamnet", "", ""}});
  expect_error(compared, 400, "bad_request");
  EXPECT_EQ(json_of(c.Get("/api/v1/analyses"))["total"].get<int>(), before);
}

// Issue 17: espeak-ng's speech then a cough was stored with 0.25 s of speech
// between two silenced spans, and the server's own analysis of it said Speech
// 0.75. The stored recording, scored by the same model in 1 s windows every
// 0.1 s (the Analyzer's timeline, not the redaction's own scoring), has no
// window at or above a low threshold, and no stretch shorter than a window is
// kept between silenced runs; the analysis and the viewer's spectrogram are
// of what was kept.
constexpr double kLowSpeech = 0.3;  // the server's default threshold (--redact-speech-threshold)

std::shared_ptr<const Analyzer> checking_analyzer() {
  static const auto a = [] {
    const std::vector<std::string> path{models_dir()};
    return std::make_shared<const Analyzer>(load_model("mn04_as", path), load_labels(path));
  }();
  return a;
}

// The viewer's overview spectrogram under a privacy option: no finer than the page draws.
void expect_coarse(const json& spectrogram) {
  EXPECT_LE(spectrogram["rows"].get<int>(), 32);
  EXPECT_EQ(spectrogram["center_hz"].size(), spectrogram["rows"].get<std::size_t>());
  EXPECT_GE(spectrogram["seconds_per_column"].get<double>(), 0.1 - 1e-9);
}

TEST(RedactSpeech, TheIssuesReproStoresNoSpeechAndTheViewerSeesOnlyWhatIsKept) {
  // The issue's repro (espeak-ng's male voice, 200 words a minute): before the fix, 6.0-6.5 s was kept between
  // two silenced spans and scored Speech 0.73; the analysis said Speech 0.74.
  const Audio speech = espeak_speech(kPatientText, "en+m3", 200);
  ASSERT_GT(speech.duration_s(), 5.0);
  double cough_from_s = 0;
  const Audio built = speech_then_cough(speech, &cough_from_s);
  const auto wav = encode_wav_pcm16(built.samples, 32000);
  const Audio original = decode_memory(wav, {});  // as sent: 16-bit

  TestServer server({.redact_speech = true});
  auto c = server.client();
  auto created = upload(c, "/api/v1/analyses", "speech-then-cough.wav", std::string(wav.begin(), wav.end()));
  ASSERT_EQ(created->status, 201) << created->body;
  const json result = json_of(created);
  const std::string id = result["id"];
  const auto stored = c.Get(("/api/v1/analyses/" + id + "/audio").c_str());
  ASSERT_EQ(stored->status, 200);
  const Audio kept = decode_memory(std::vector<std::uint8_t>(stored->body.begin(), stored->body.end()), {});
  ASSERT_EQ(kept.samples.size(), original.samples.size());

  const auto a = checking_analyzer();
  const auto classes = speech_classes(a->labels(), {models_dir()});
  EXPECT_GT(speech_left(*a, original, classes, kLowSpeech).loudest, 0.5);  // there was speech to silence
  const auto left = speech_left(*a, kept, classes, kLowSpeech);
  EXPECT_LT(left.loudest, kLowSpeech) << "speech in the 1 s window from " << left.loudest_start_s << " s; redaction "
                                      << result["redaction"].dump();
  EXPECT_EQ(left.seconds_above, 0);
  const auto runs = silenced_runs(original, kept);
  ASSERT_FALSE(runs.empty());
  EXPECT_GE(shortest_kept_gap(runs), 0.98) << result["redaction"].dump();
  const double cough_kept = sound_kept(original, kept, cough_from_s, original.duration_s());
  EXPECT_GT(cough_kept, 0.5) << result["redaction"].dump();

  // The server's analysis is of what was kept: no speech class in it, no Speech event; the cough is found.
  bool cough_found = false;
  for (const auto& p : result["predictions"]) {
    cough_found |= p["index"] == 47;
    for (int speech_class : classes)
      if (p["index"] == speech_class) EXPECT_LT(p["probability"].get<double>(), kLowSpeech) << p.dump();
  }
  EXPECT_TRUE(cough_found) << result["predictions"].dump();
  for (const auto& e : result.value("events", json::array())) EXPECT_NE(e.value("label", ""), "Speech") << e.dump();

  // The viewer's spectrogram: coarse, and silent where the speech was (made from the kept audio).
  const auto got = c.Get(("/api/v1/analyses/" + id + "/spectrogram").c_str());
  ASSERT_EQ(got->status, 200) << got->body.substr(0, 300);
  const json spectrogram = json_of(got);
  expect_coarse(spectrogram);
  const double floor = spectrogram["min"], per_column = spectrogram["seconds_per_column"];
  int silent_columns = 0;
  for (const auto& run : runs)
    for (int col = 0; col < spectrogram["cols"].get<int>(); ++col) {
      // Columns well inside a silenced run (the STFT window reaches 25 ms either side).
      if (col * per_column < run.start_s + 0.05 || (col + 1) * per_column > run.end_s - 0.05) continue;
      ++silent_columns;
      for (const auto& row : spectrogram["values"]) EXPECT_NEAR(row[col].get<double>(), floor, 2e-3) << col;
    }
  EXPECT_GT(silent_columns, 10);
}

// Speech still heard after the redaction's passes: 422 speech_remains, and nothing is stored.
TEST(RedactSpeech, SpeechThatRemainsIsRefusedNotStored) {
  // A threshold that even digital silence reaches: whatever is silenced, "speech" remains.
  TestServer server({.redact_speech = true, .redact_speech_threshold = 1e-4});
  auto c = server.client();
  auto refused = upload(c, "/api/v1/analyses", "cough.flac", read_file(shared_audio(cough_only_file)));
  expect_error(refused, 422, "speech_remains");
  if (refused) EXPECT_NE(json_of(refused)["error"]["message"].get<std::string>().find("not stored"), std::string::npos);
  EXPECT_EQ(json_of(c.Get("/api/v1/analyses"))["total"].get<int>(), 0);
  EXPECT_EQ(server.stored_audio_files(), 0u);
}

// --store-audio no keeps the overview spectrogram in place of the audio: coarse, and served to any page width.
TEST(StoreAudioNo, TheKeptSpectrogramIsNoFinerThanThePageDraws) {
  TestServer server({.store_audio = false});
  auto c = server.client();
  auto created = upload(c, "/api/v1/analyses", "cough.flac", read_file(shared_audio(cough_only_file)));
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string base = "/api/v1/analyses/" + json_of(created)["id"].get<std::string>() + "/spectrogram";
  const auto whole = c.Get(base.c_str());
  ASSERT_EQ(whole->status, 200) << whole->body.substr(0, 300);
  expect_coarse(json_of(whole));
  EXPECT_NEAR(json_of(whole)["duration_s"].get<double>(), 4.8, 0.11);
  // The page asks for as many columns as it has pixels (200 to 1000): a phone's 780 gets the kept one.
  const auto narrow = c.Get((base + "?max_columns=780").c_str());
  ASSERT_EQ(narrow->status, 200) << narrow->body.substr(0, 300);
  expect_coarse(json_of(narrow));
}

// --- the report and the exports of one user's analysis hold nothing of another's ---

TEST(Separation, ReportAndExportsHoldNoOtherUsersData) {
  if (command_output("command -v pdftotext").empty()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  TestServer server({.auth = auth::AuthMode::required});
  const std::string ann = server.issue_key("ann"), bob = server.issue_key("bob");
  auto ca = server.client(), cb = server.client();
  ca.set_default_headers(bearer(ann));
  cb.set_default_headers(bearer(bob));
  auto a = upload(ca, "/api/v1/analyses", "ann-cough-zq81.flac", read_file(shared_audio(cough_file)));
  auto b = upload(cb, "/api/v1/analyses", "bob-dog-xk42.flac", read_file(shared_audio(dog_file)));
  ASSERT_EQ(a->status, 201) << a->body;
  ASSERT_EQ(b->status, 201) << b->body;
  const json ann_json = json_of(a), bob_json = json_of(b);
  const std::string ann_id = ann_json["id"], bob_id = bob_json["id"];
  const auto ann_events = events_from_json(ann_json), bob_events = events_from_json(bob_json);
  ASSERT_FALSE(bob_events.empty());  // else there would be nothing of bob's to leak

  // Served with each event's review (none here: every event unreviewed).
  struct Export {
    std::string suffix;
    std::string (*write)(std::span<const Event>, std::span<const EventReview>);
  };
  const std::vector<EventReview> ann_reviews(ann_events.size()), bob_reviews(bob_events.size());
  for (const Export& e : {Export{"/events.csv", &write_events_csv}, Export{"/raven.txt", &write_raven},
                          Export{"/labels.txt", &write_audacity}}) {
    SCOPED_TRACE(e.suffix);
    const auto own = get(server, "/api/v1/analyses/" + ann_id + e.suffix, bearer(ann));
    ASSERT_EQ(own->status, 200);
    // Exactly ann's events, and none of bob's lines (beyond a header they share).
    EXPECT_EQ(own->body, e.write(ann_events, ann_reviews));
    const std::string bobs = e.write(bob_events, bob_reviews);
    const std::string header = bobs.substr(0, bobs.find('\n') + 1);
    for (std::size_t at = header.size(); at < bobs.size();) {
      const std::size_t end = bobs.find('\n', at);
      const std::string line = bobs.substr(at, end - at);
      // An Audacity band line ("\\<TAB>low<TAB>high") is the model's band, the same for everyone's events.
      const bool band_only = line.rfind("\\\t", 0) == 0;
      if (!line.empty() && !band_only) EXPECT_EQ(own->body.find(line), std::string::npos) << line;
      at = end == std::string::npos ? bobs.size() : end + 1;
    }
    EXPECT_EQ(own->body.find("bob-dog-xk42"), std::string::npos);
    EXPECT_EQ(own->body.find(bob_id), std::string::npos);
    expect_error(get(server, "/api/v1/analyses/" + bob_id + e.suffix, bearer(ann)), 404, "not_found");
  }

  const auto report = get(server, "/api/v1/analyses/" + ann_id + "/report.pdf", bearer(ann));
  ASSERT_EQ(report->status, 200) << report->body.substr(0, 300);
  const std::string text = pdf_text(report->body);
  EXPECT_NE(text.find("ann-cough-zq81"), std::string::npos) << text.substr(0, 2000);  // the check can see names
  EXPECT_EQ(text.find("bob-dog-xk42"), std::string::npos);
  EXPECT_EQ(text.find(bob_id), std::string::npos);
  // Bob's event classes that ann's analysis does not name itself (as an event or a prediction).
  std::string anns_own = ann_json.dump();
  for (const auto& event : bob_events)
    if (anns_own.find("\"" + event.label + "\"") == std::string::npos)
      EXPECT_EQ(text.find(event.label), std::string::npos) << event.label;
  expect_error(get(server, "/api/v1/analyses/" + bob_id + "/report.pdf", bearer(ann)), 404, "not_found");
  // Bob's own report names his file, not ann's.
  const auto bobs_report = get(server, "/api/v1/analyses/" + bob_id + "/report.pdf", bearer(bob));
  ASSERT_EQ(bobs_report->status, 200);
  const std::string bob_text = pdf_text(bobs_report->body);
  EXPECT_NE(bob_text.find("bob-dog-xk42"), std::string::npos);
  EXPECT_EQ(bob_text.find("ann-cough-zq81"), std::string::npos);
}

}  // namespace
}  // namespace soundlens::test
