// `soundlens analyze` run as a user runs it: events in --json, the event
// exports written, and bad event options refused naming the option.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <algorithm>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "command_output.h"
#include "test_paths.h"

namespace {

namespace fs = std::filesystem;
using namespace soundlens::test;

const std::string long_file = "'" + shared_audio("awkward/04_long_90s_concat.wav") + "'";

TEST(AnalyzeCli, JsonHasTheEventsAndTheExportsAreWritten) {
  const fs::path dir = fs::temp_directory_path() / ("soundlens-cli-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const CommandResult r = run_analyze(long_file + " --class Cough --json --events-csv '" + (dir / "e.csv").string() + "' --raven '" +
                    (dir / "r.txt").string() + "' --audacity '" + (dir / "l.txt").string() + "'");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j["events"].is_array());
  int coughs = 0;
  for (const auto& e : j["events"]) coughs += e["label"] == "Cough";
  EXPECT_GE(coughs, 2) << j["events"].dump();
  bool counted = false;
  for (const auto& c : j["event_counts"]) counted |= c["label"] == "Cough" && c["count"] == coughs;
  EXPECT_TRUE(counted) << j["event_counts"].dump();
  const std::string csv = slurp(dir / "e.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "index,label,onset_s,offset_s,probability,low_hz,high_hz\r");  // RFC 4180
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), std::ptrdiff_t(j["events"].size() + 1));
  EXPECT_NE(slurp(dir / "r.txt").find("Begin Time (s)"), std::string::npos);
  EXPECT_NE(slurp(dir / "l.txt").find("\tCough"), std::string::npos);
  fs::remove_all(dir);
}

TEST(AnalyzeCli, TheTextReportListsTheEvents) {
  const CommandResult r = run_analyze(long_file + " --class Sneeze");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("events ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Sneeze"), std::string::npos) << r.out;
}

TEST(AnalyzeCli, BadEventOptionsNameTheOption) {
  for (const auto& [args, named] : std::vector<std::pair<std::string, std::string>>{
           {"--event-threshold 2", "--event-threshold"},
           {"--event-threshold 0.1 --event-threshold-low 0.2", "event_threshold_low"},
           {"--event-window-s 5 --event-hop-s 6", "event_hop_s"},
           {"--event-window-s abc", "--event-window-s"}}) {
    const CommandResult r = run_analyze(long_file + " " + args);
    EXPECT_NE(r.status, 0) << args;
    EXPECT_NE(r.out.find(named), std::string::npos) << args << ": " << r.out;
  }
}

}  // namespace

namespace {

// A 16-bit PCM WAV's sample rate and sample count (the canonical 44-byte header).
std::pair<int, std::size_t> wav_facts(const std::string& bytes) {
  if (bytes.size() < 44 || bytes.compare(0, 4, "RIFF") != 0 || bytes.compare(8, 4, "WAVE") != 0) return {0, 0};
  const auto u32 = [&](std::size_t at) {
    return std::uint32_t(std::uint8_t(bytes[at])) | std::uint32_t(std::uint8_t(bytes[at + 1])) << 8 |
           std::uint32_t(std::uint8_t(bytes[at + 2])) << 16 | std::uint32_t(std::uint8_t(bytes[at + 3])) << 24;
  };
  return {int(u32(24)), u32(40) / 2};
}

TEST(AnalyzeCli, ListenWritesWhatTheMapKeepsAndRemovesAndChecksBoth) {
  const fs::path dir = fs::temp_directory_path() / ("soundlens-listen-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const CommandResult r = run_analyze("'" + shared_audio("example/metro_station-paris.wav") + "' --top-k 1 --json --listen '" +
                       (dir / "kept.wav").string() + "'");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto& listen = j["explanations"][0]["listen"];
  ASSERT_TRUE(listen.is_object()) << j["explanations"][0].dump().substr(0, 300);
  for (const char* part : {"kept_probability", "removed_probability"}) {
    EXPECT_GE(listen[part].get<double>(), 0.0);
    EXPECT_LE(listen[part].get<double>(), 1.0);
  }
  // The search's answer (explain/listen_search.h): what share was kept, and in words.
  EXPECT_EQ(listen["keep_fraction"], 0.8);
  EXPECT_GT(listen["kept_fraction"].get<double>(), 0.0);
  EXPECT_TRUE(listen["keeps_class"].is_boolean() && listen["under_half"].is_boolean());
  EXPECT_FALSE(listen["message"].get<std::string>().empty());
  const double duration = j["duration_s"];
  for (const char* name : {"kept.wav", "kept.removed.wav"}) {
    const auto [rate, samples] = wav_facts(slurp(dir / name));
    EXPECT_EQ(rate, 32000) << name;
    EXPECT_NEAR(double(samples) / 32000, duration, 0.01) << name;
  }
  fs::remove_all(dir);
}

}  // namespace

// --- the fused model (mn04_as and yamnet) ---

const std::string coughing = "'" + shared_audio("awkward/01_stereo_44k1_coughing.mp3") + "'";

TEST(FusedCli, AnalyzeRunsBothModelsAndItsEventsNameBoth) {
  const CommandResult r = run_analyze(coughing + " --model fused --json --threads 2");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["model"], "fused");
  EXPECT_EQ(j["models"], nlohmann::json::array({"mn04_as", "yamnet"}));
  for (const auto& p : j["predictions"]) EXPECT_TRUE(p["model"] == "mn04_as" || p["model"] == "yamnet") << p.dump();
  std::size_t yamnet_maps = 0;
  for (const auto& e : j["explanations"]) yamnet_maps += e["model"] == "yamnet";
  EXPECT_EQ(yamnet_maps, j["predictions"].size());
  ASSERT_FALSE(j["events"].empty());
  for (const auto& e : j["events"]) EXPECT_EQ(e["models"].size(), 2u) << e.dump();
  // A folder batch runs it for each file.
  const fs::path dir = fs::temp_directory_path() / ("soundlens-fused-batch-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "in");
  fs::copy_file(shared_audio("awkward/02_vorbis_44k1_dog.ogg"), dir / "in" / "dog.ogg");
  const CommandResult batch = run_analyze("'" + (dir / "in").string() + "' --out-dir '" + (dir / "out").string() +
                                          "' --model fused --threads 2");
  ASSERT_EQ(batch.status, 0) << batch.out;
  bool found = false;
  for (const auto& entry : fs::recursive_directory_iterator(dir / "out"))
    if (entry.path().extension() == ".json" && entry.path().filename() != "batch.json") {
      const auto one = nlohmann::json::parse(slurp(entry.path()), nullptr, false);
      if (one.is_object() && one.contains("models")) found = one["model"] == "fused";
    }
  EXPECT_TRUE(found) << batch.out;
  fs::remove_all(dir);
  // The text report says the model too.
  const CommandResult text = run_analyze(coughing + " --model fused");
  ASSERT_EQ(text.status, 0) << text.out;
  EXPECT_NE(text.out.find("model fused"), std::string::npos) << text.out;
}

TEST(FusedCli, ModelsListsItAndCompareTakesIt) {
  const CommandResult listed = run_command(soundlens_binary() + " models --model-dir '" + models_dir() + "' 2>&1");
  ASSERT_EQ(listed.status, 0) << listed.out;
  EXPECT_NE(listed.out.find("\nfused\n"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("available: both parts found"), std::string::npos) << listed.out;
  const CommandResult compared = run_command(soundlens_binary() + " compare " + coughing +
                                             " --models fused,mn04_as --json --model-dir '" + models_dir() + "' 2>&1");
  ASSERT_EQ(compared.status, 0) << compared.out;
  const auto j = nlohmann::json::parse(compared.out);
  EXPECT_EQ(j["models"], nlohmann::json::array({"fused", "mn04_as"}));
  EXPECT_EQ(j["results"]["fused"]["models"], nlohmann::json::array({"mn04_as", "yamnet"}));
}

TEST(FusedCli, AMissingPartIsNamedAndRefusedOptionsToo) {
  // A model folder with only mn04_as, from a folder without ../shared beside it: yamnet is not found.
  const fs::path dir = fs::temp_directory_path() / ("soundlens-fused-cli-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "models" / "efficientat");
  fs::create_directories(dir / "work");
  fs::create_symlink(fs::path(models_dir()) / "efficientat" / "mn04_as_mAP_432.pt",
                     dir / "models" / "efficientat" / "mn04_as_mAP_432.pt");
  fs::create_directory_symlink(fs::path(models_dir()) / "labels", dir / "models" / "labels");
  const CommandResult r = run_command("cd '" + (dir / "work").string() + "' && SOUNDLENS_MODEL_DIR= " +
                                      soundlens_binary() + " analyze " + coughing + " --model fused --model-dir '" +
                                      (dir / "models").string() + "' 2>&1");
  EXPECT_NE(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("fused"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("yamnet/yamnet.tflite"), std::string::npos) << r.out;
  fs::remove_all(dir);
  const CommandResult calibrated = run_analyze(coughing + " --model fused --calibration nothing.json");
  EXPECT_NE(calibrated.status, 0);
  EXPECT_NE(calibrated.out.find("--calibration"), std::string::npos) << calibrated.out;
  const CommandResult few = run_analyze(coughing + " --model fused --max-windows 5 --json");
  EXPECT_NE(few.status, 0);
  EXPECT_NE(few.out.find("too_many_windows"), std::string::npos) << few.out;
  EXPECT_NE(few.out.find("yamnet"), std::string::npos) << few.out;
}

// The PDF report of a fused analysis: the first model's maps over its spectrogram, the model said as fused.
TEST(FusedCli, TheReportSaysFusedAndDrawsTheFirstModelsMaps) {
  const fs::path pdf = fs::temp_directory_path() / ("soundlens-fused-" + std::to_string(::getpid()) + ".pdf");
  const CommandResult r = run_analyze(coughing + " --model fused --threads 2 --report '" + pdf.string() + "'");
  ASSERT_EQ(r.status, 0) << r.out;
  const std::string text = pdf_file_text(pdf);
  EXPECT_NE(text.find("fused (mn04_as and yamnet; the maps shown are mn04_as's)"), std::string::npos) << text.substr(0, 600);
  EXPECT_NE(text.find("Grad-CAM on features.16"), std::string::npos) << text.substr(0, 2000);
  EXPECT_EQ(text.find("Grad-CAM on layer14"), std::string::npos);  // yamnet's maps would not fit the spectrogram
  fs::remove(pdf);
}
