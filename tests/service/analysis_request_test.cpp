// The typed request of an analysis: read from form fields by the declared
// tables, stored with a job as versioned JSON and read back the same, and the
// form-field layout of jobs queued by an older soundlens still read.
#include <gtest/gtest.h>

#include <map>

#include "core/error.h"
#include "service/analysis_request.h"

namespace soundlens::service {
namespace {

AnalysisRequest from_fields(const std::map<std::string, std::string>& fields) {
  return read_analysis_request([&](const std::string& name) -> std::optional<std::string> {
    const auto it = fields.find(name);
    return it == fields.end() ? std::nullopt : std::optional(it->second);
  });
}

const std::map<std::string, std::string> kFields{
    {"model", "yamnet"},         {"top_k", "3"},          {"classes", "Speech,137"}, {"window_s", "4.5"},
    {"hop_s", "1.25"},           {"method", "layercam"},  {"contrast", "Music"},     {"faithfulness", "1"},
    {"event_window_s", "2.5"},   {"event_hop_s", "0.5"},  {"event_threshold", "0.4"}, {"event_threshold_low", "0.15"},
    {"event_min_duration_s", "0.3"}, {"event_merge_gap_s", "0.7"}};

void expect_same(const AnalysisRequest& a, const AnalysisRequest& b) {
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.options.top_k, b.options.top_k);
  EXPECT_EQ(a.options.classes, b.options.classes);
  EXPECT_EQ(a.options.window_s, b.options.window_s);
  EXPECT_EQ(a.options.hop_s, b.options.hop_s);
  EXPECT_EQ(a.options.method, b.options.method);
  EXPECT_EQ(a.options.contrast, b.options.contrast);
  EXPECT_EQ(a.options.faithfulness, b.options.faithfulness);
  EXPECT_EQ(a.options.sanity, b.options.sanity);
  EXPECT_EQ(a.events.window_s, b.events.window_s);
  EXPECT_EQ(a.events.hop_s, b.events.hop_s);
  EXPECT_EQ(a.events.detect.window_high, b.events.detect.window_high);
  EXPECT_EQ(a.events.detect.window_low, b.events.detect.window_low);
  EXPECT_EQ(a.events.detect.min_duration_s, b.events.detect.min_duration_s);
  EXPECT_EQ(a.events.detect.merge_gap_s, b.events.detect.merge_gap_s);
  EXPECT_EQ(a.privacy.store_audio, b.privacy.store_audio);
  ASSERT_EQ(a.privacy.redact.has_value(), b.privacy.redact.has_value());
  if (a.privacy.redact) EXPECT_EQ(a.privacy.redact->threshold, b.privacy.redact->threshold);
}

TEST(AnalysisRequest, FormFieldsAreReadByTheDeclaredTables) {
  const AnalysisRequest r = from_fields(kFields);
  EXPECT_EQ(r.model, "yamnet");
  EXPECT_EQ(r.options.top_k, 3);
  EXPECT_EQ(r.options.classes, (std::vector<std::string>{"Speech", "137"}));
  EXPECT_DOUBLE_EQ(r.options.window_s, 4.5);
  EXPECT_DOUBLE_EQ(r.options.hop_s, 1.25);
  EXPECT_EQ(r.options.method, "layercam");
  EXPECT_EQ(r.options.contrast, "Music");
  EXPECT_TRUE(r.options.faithfulness);
  EXPECT_FALSE(r.options.sanity);
  EXPECT_DOUBLE_EQ(r.events.window_s, 2.5);
  EXPECT_DOUBLE_EQ(r.events.detect.window_low, 0.15);
  EXPECT_DOUBLE_EQ(r.events.detect.merge_gap_s, 0.7);
  // Nothing given: the declared defaults, and the default model.
  const AnalysisRequest d = from_fields({});
  EXPECT_EQ(d.model, "");
  EXPECT_EQ(d.options.top_k, AnalysisOptions{}.top_k);
  EXPECT_EQ(d.options.method, "gradcam");  // default_explanation_method(), as measured (docs/explanations-measured.md)
}

TEST(AnalysisRequest, BadFieldsAreRefusedNamingTheParameter) {
  for (const auto& [name, value] : std::map<std::string, std::string>{
           {"top_k", "0"}, {"window_s", "ten"}, {"method", "guided-backprop"}, {"event_threshold_low", "0.9"}}) {
    try {
      from_fields({{name, value}});
      FAIL() << name << "=" << value << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::bad_request) << name;
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
}

TEST(AnalysisRequest, StoredAsVersionedJsonAndReadBackTheSame) {
  const AnalysisRequest r = from_fields(kFields);
  const nlohmann::json stored = analysis_request_json(r);
  EXPECT_EQ(stored["version"], 2);  // one analysis: still what an older worker reads
  EXPECT_FALSE(stored.contains("models"));
  EXPECT_EQ(stored["model"], "yamnet");
  EXPECT_EQ(stored["options"]["top_k"], 3);  // typed: a number, not the text of a form field
  EXPECT_TRUE(stored["options"]["faithfulness"].is_boolean());
  expect_same(analysis_request_from_json(stored.dump()), r);
  // Values that no decimal text states exactly survive the round trip bit for bit.
  AnalysisRequest odd;
  odd.options.window_s = 10.0 / 3.0;
  odd.options.hop_s = 0.7;
  odd.events.detect.window_high = 0.7;
  expect_same(analysis_request_from_json(analysis_request_json(odd).dump()), odd);
  // The defaults are read back too, and events from the analysis' own pass (event window 0, its hop unused).
  AnalysisRequest defaults;
  expect_same(analysis_request_from_json(analysis_request_json(defaults).dump()), defaults);
  defaults.events.window_s = 0;
  expect_same(analysis_request_from_json(analysis_request_json(defaults).dump()), defaults);
}

// The privacy a server promised travels with the job, and a version-1 job
// (before it did) reads as promising nothing beyond the running process's.
TEST(AnalysisRequest, ThePromisedPrivacyIsStoredAndReadBack) {
  AnalysisRequest r = from_fields(kFields);
  r.privacy = {false, RedactionOptions{.threshold = 0.2}};
  const nlohmann::json stored = analysis_request_json(r);
  EXPECT_EQ(stored["privacy"]["store_audio"], false);
  EXPECT_EQ(stored["privacy"]["redact_speech_threshold"], 0.2);
  expect_same(analysis_request_from_json(stored.dump()), r);
  EXPECT_TRUE(analysis_request_json(AnalysisRequest{})["privacy"]["redact_speech_threshold"].is_null());

  nlohmann::json version1 = stored;
  version1["version"] = 1;
  version1.erase("privacy");
  const AnalysisRequest old = analysis_request_from_json(version1.dump());
  EXPECT_TRUE(old.privacy.store_audio);
  EXPECT_FALSE(old.privacy.redact);
  EXPECT_EQ(old.options.top_k, 3);

  for (const char* bad : {R"({"version": 2, "privacy": {"redact_speech_threshold": -1}})",
                          R"({"version": 2, "privacy": {"redact_speech_threshold": 0}})",
                          R"({"version": 2, "privacy": {"store_audio": "no"}})", R"({"version": 2, "privacy": []})"}) {
    try {
      analysis_request_from_json(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::bad_request) << bad;
      EXPECT_NE(std::string(e.what()).find("privacy"), std::string::npos) << e.what();
    }
  }
}

TEST(AnalysisRequest, TheFormFieldsOfAJobQueuedByAnOlderVersionAreStillRead) {
  // What job_routes.cpp stored before the typed request: the upload's fields, as strings.
  nlohmann::json old = nlohmann::json::object();
  for (const auto& [name, value] : kFields) old[name] = value;
  expect_same(analysis_request_from_json(old.dump()), from_fields(kFields));
  expect_same(analysis_request_from_json("{}"), from_fields({}));
  // Checked as an upload's: a bad old value is refused naming it.
  EXPECT_THROW(analysis_request_from_json(R"({"top_k": "900"})"), Error);
}

TEST(AnalysisRequest, StoredValuesOfTheWrongTypeOrRangeOrAnUnknownVersionAreRefused) {
  const auto code_of = [](const std::string& text) {
    try {
      analysis_request_from_json(text);
    } catch (const Error& e) {
      return std::pair(e.code(), std::string(e.what()));
    }
    return std::pair(ErrorCode::internal, std::string("accepted"));
  };
  auto [code, message] = code_of(R"({"version": 1, "options": {"top_k": "five"}})");
  EXPECT_EQ(code, ErrorCode::bad_request);
  EXPECT_NE(message.find("options.top_k"), std::string::npos) << message;
  std::tie(code, message) = code_of(R"({"version": 1, "options": {"window_s": 2, "hop_s": 3}})");
  EXPECT_EQ(code, ErrorCode::bad_request);
  EXPECT_NE(message.find("hop"), std::string::npos) << message;
  std::tie(code, message) = code_of(R"({"version": 1, "events": {"threshold": 0.2, "threshold_low": 0.5}})");
  EXPECT_NE(message.find("event_threshold_low"), std::string::npos) << message;
  std::tie(code, message) = code_of(R"({"version": 4})");
  EXPECT_EQ(code, ErrorCode::internal);
  EXPECT_NE(message.find("version 4"), std::string::npos) << message;
  std::tie(code, message) = code_of(R"({"version": 0})");
  EXPECT_EQ(code, ErrorCode::internal);
  std::tie(code, message) = code_of("[1, 2]");
  EXPECT_EQ(code, ErrorCode::bad_request);
}

// A comparison's job stores its two models as version 3 (an older soundlens refuses it rather than
// run one analysis of it); anything but a pair of names is refused naming the field.
TEST(AnalysisRequest, AComparisonsModelsAreStoredAsVersion3AndReadBack) {
  AnalysisRequest r = from_fields(kFields);
  r.models = {"mn04_as", "yamnet"};
  const nlohmann::json stored = analysis_request_json(r);
  EXPECT_EQ(stored["version"], 3);
  EXPECT_EQ(stored["models"], nlohmann::json({"mn04_as", "yamnet"}));
  const AnalysisRequest back = analysis_request_from_json(stored.dump());
  expect_same(back, r);
  EXPECT_EQ(back.models, r.models);
  EXPECT_TRUE(analysis_request_from_json(analysis_request_json(from_fields(kFields)).dump()).models.empty());
  for (const char* bad : {R"({"version": 3, "models": "mn04_as,yamnet"})", R"({"version": 3, "models": ["mn04_as"]})",
                          R"({"version": 3, "models": ["a", "b", "c"]})", R"({"version": 3, "models": ["a", 2]})"}) {
    try {
      analysis_request_from_json(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::bad_request) << bad;
      EXPECT_NE(std::string(e.what()).find("models"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace soundlens::service
