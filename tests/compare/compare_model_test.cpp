// mn04_as and YAMNet on real audio: the metro example (both must share a
// rail/train class in their top 5) and a cough; and `soundlens compare --json`.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <set>

#include "compare/compare_run.h"
#include "model/model_registry.h"
#include "test_paths.h"

namespace soundlens {
namespace {

const Analyzer& analyzer(const std::string& model) {
  static std::map<std::string, std::unique_ptr<Analyzer>> cache;
  auto& a = cache[model];
  if (!a) a = std::make_unique<Analyzer>(load_model(model, {test::models_dir()}), load_labels({test::models_dir()}));
  return *a;
}

CompareRun compare_file(const std::string& rel) {
  return run_compare(analyzer("mn04_as"), analyzer("yamnet"), decode_file(test::shared_audio(rel)), {});
}

std::set<std::string> labels(const std::vector<Prediction>& list) {
  std::set<std::string> out;
  for (const auto& p : list) out.insert(p.label);
  return out;
}

TEST(CompareRealAudio, MetroBothFindTrainsAndTheirMapsAreComparable) {
  const auto run = compare_file("example/metro_station-paris.wav");
  const auto& c = run.comparison;
  const auto shared = labels(c.top_shared);
  const std::set<std::string> rail{"Train", "Rail transport", "Railroad car, train wagon", "Subway, metro, underground"};
  bool rail_shared = false;
  for (const auto& l : shared) rail_shared |= rail.count(l) > 0;
  EXPECT_TRUE(rail_shared) << "shared: " << ::testing::PrintToString(shared);
  ASSERT_EQ(c.profile_correlation.size(), c.top_shared.size());  // each shared class was explained by both
  for (const auto& r : c.profile_correlation) {
    ASSERT_TRUE(r.pearson) << r.label;
    EXPECT_GE(*r.pearson, -1.0);
    EXPECT_LE(*r.pearson, 1.0);
    std::cout << "metro, " << r.label << ": r = " << *r.pearson << "\n";
  }
  // Every event is reported once: as matched, or as one model's own.
  std::size_t events = 0;
  for (const auto& r : run.runs) events += r.events.result.events.size();
  std::size_t reported = 2 * c.events_both.size();
  for (const auto& only : c.events_only) reported += only.size();
  EXPECT_EQ(reported, events);
  std::cout << "metro: shared " << ::testing::PrintToString(shared) << ", events both " << c.events_both.size()
            << ", only mn04_as " << c.events_only[0].size() << ", only yamnet " << c.events_only[1].size() << "\n";
  // YAMNet's timeline is its own (0.48 s hop), mn04_as's the 10 s window.
  EXPECT_GT(run.runs[1].analysis.timeline.size(), run.runs[0].analysis.timeline.size());
}

TEST(CompareRealAudio, CoughIsInBothTopFive) {
  const auto run = compare_file("awkward/01_stereo_44k1_coughing.mp3");
  EXPECT_TRUE(labels(run.comparison.top_shared).count("Cough"))
      << "shared: " << ::testing::PrintToString(labels(run.comparison.top_shared));
  for (const auto& r : run.comparison.profile_correlation)
    if (r.label == "Cough") {
      ASSERT_TRUE(r.pearson);
      std::cout << "cough, Cough: r = " << *r.pearson << "\n";
      // Both maps should rise on the coughs: the profiles agree more than they disagree.
      EXPECT_GT(*r.pearson, 0.0);
    }
}

nlohmann::json run_cli(const std::string& args, int* status) {
  const std::string command = test::soundlens_binary() + " compare " + args + " 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  char buffer[65536];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  *status = ::pclose(pipe);
  return out.empty() ? nlohmann::json() : nlohmann::json::parse(out);
}

TEST(CompareCli, JsonHasModelsResultsAndAgreement) {
  int status = 0;
  const auto j = run_cli("'" + test::shared_audio("example/metro_station-paris.wav") + "' --models mn04_as,yamnet "
                         "--model-dir '" + test::models_dir() + "' --json", &status);
  ASSERT_EQ(status, 0);
  EXPECT_EQ(j["models"], (nlohmann::json{"mn04_as", "yamnet"}));
  for (const auto& m : {"mn04_as", "yamnet"}) {
    const auto& r = j["results"][m];
    EXPECT_EQ(r["model"], m);
    EXPECT_GE(r["predictions"].size(), 5u);
    EXPECT_FALSE(r["explanations"].empty());
    EXPECT_TRUE(r.contains("timeline") && r.contains("audio") && r.contains("timings_ms"));
  }
  const auto& a = j["agreement"];
  ASSERT_TRUE(a["top_shared"].is_array());
  EXPECT_FALSE(a["top_shared"].empty());
  EXPECT_TRUE(a["top_only"].contains("mn04_as") && a["top_only"].contains("yamnet"));
  ASSERT_EQ(a["profile_correlation"].size(), a["top_shared"].size());
  for (const auto& r : a["profile_correlation"]) EXPECT_TRUE(r.contains("index") && r.contains("label") && r.contains("pearson"));
  EXPECT_TRUE(a["events"]["both"].is_array());
  EXPECT_TRUE(a["events"]["only"]["mn04_as"].is_array() && a["events"]["only"]["yamnet"].is_array());
}

TEST(CompareCli, RejectsOneModelOrAnUnknownOne) {
  int status = 0;
  const auto file = "'" + test::shared_audio("awkward/03_short_0p3s_door_knock.wav") + "'";
  run_cli(file + " --models mn04_as", &status);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  run_cli(file + " --models mn04_as,mn04_as", &status);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  run_cli(file + " --models mn04_as,nosuch", &status);
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

TEST(CompareCli, AFileThatCannotBeDecodedGivesAnErrorObject) {
  int status = 0;
  const auto j = run_cli("'" + test::shared_audio("README.md") + "' --model-dir '" + test::models_dir() + "' --json",
                         &status);
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_EQ(j["error"]["code"], "unsupported_format");
  EXPECT_FALSE(j.contains("results"));
}

}  // namespace
}  // namespace soundlens
