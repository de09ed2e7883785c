// Frame evidence and events of recordings, written to files once so that
// calibration and evaluation (tools/events/, bench/events/) read a cache
// instead of running the networks again:
//
//   events_evidence --model mn04_as [--model-dir DIR] [--window-s 10 --hop-s 5] --out DIR FILE...
//   events_evidence --fuse table|first|second|mean|max [--model-dir DIR] --out DIR FILE...
//   events_evidence --from-cache [--model mn04_as] --out DIR FILE...
//   events_evidence --time [--model mn04_as] [--method M] [--top-k K] FILE...
//
// For each FILE: DIR/<model>/<stem>.f32 (the analysis pass's frame
// probabilities, frames x classes, float32 little-endian), <stem>.json (its
// shape, seconds per frame, duration), <stem>.windows.f32 (each analysis
// window's probabilities, windows x classes, at window_s / hop_s) and <stem>.events.json (the events the
// program reports with the compiled-in thresholds: analysis_events()).
// --fuse reads the cached evidence of mn04_as and yamnet and writes
// DIR/fused_<rule>/<stem>.events.json: fused_events() (analysis_events/fusion.h).
// --from-cache writes <stem>.events.json again from the cached evidence
// (after the tables changed) without running the network.
// --time prints what a default analysis with events costs (timings_ms and the
// events' share) with the given method, writing nothing.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis_events/analysis_events.h"
#include "analysis_events/fusion.h"
#include "core/error.h"
#include "events/events_json.h"
#include "model/model_registry.h"

using namespace soundlens;
namespace fs = std::filesystem;

namespace {

FrameEvidence read_evidence(const fs::path& stem) {
  std::ifstream meta_in(stem.string() + ".json");
  if (!meta_in) throw Error(ErrorCode::bad_request, "no cached evidence at " + stem.string() + ".json");
  const auto meta = nlohmann::json::parse(meta_in);
  FrameEvidence f;
  f.seconds_per_frame = meta.at("seconds_per_frame");
  f.classes = meta.at("classes");
  f.probabilities.resize(std::size_t(meta.at("frames").get<int>()) * std::size_t(f.classes));
  std::ifstream(stem.string() + ".f32", std::ios::binary)
      .read(reinterpret_cast<char*>(f.probabilities.data()), std::streamsize(f.probabilities.size() * 4));
  if (std::ifstream columns(stem.string() + ".columns.f32", std::ios::binary); columns) {
    f.columns.resize(f.probabilities.size());
    columns.read(reinterpret_cast<char*>(f.columns.data()), std::streamsize(f.columns.size() * 4));
  }
  return f;
}

int fuse(const std::string& rule_name, const std::string& model_dir, const std::string& out,
         const std::vector<std::string>& files) {
  FusionRule rule = FusionRule::table;
  for (FusionRule r : {FusionRule::first, FusionRule::second, FusionRule::mean, FusionRule::max, FusionRule::table})
    if (rule_name == fusion_rule_name(r)) rule = r;
  const auto path = model_search_path(model_dir);
  const Analyzer a(load_model("mn04_as", path), load_labels(path)), b(load_model("yamnet", path), load_labels(path));
  const auto dir = fs::path(out) / (std::string("fused_") + fusion_rule_name(rule));
  fs::create_directories(dir);
  for (const auto& file : files) {
    const auto stem = fs::path(file).stem();
    const FrameEvidence fa = read_evidence(fs::path(out) / "mn04_as" / stem), fb = read_evidence(fs::path(out) / "yamnet" / stem);
    const auto meta = nlohmann::json::parse(std::ifstream((fs::path(out) / "mn04_as" / stem).string() + ".json"));
    AnalysisEvents events;
    events.result = fused_events({&a, &fa}, {&b, &fb}, meta.at("duration_s").get<double>(), {}, {}, rule);
    nlohmann::json j;
    add_events_json(j, events);
    std::ofstream((dir / stem).string() + ".events.json") << j;
  }
  return 0;
}

int events_from_cache(const std::string& model, const std::string& model_dir, const std::string& out,
                      const std::vector<std::string>& files) {
  const auto path = model_search_path(model_dir);
  const Analyzer analyzer(load_model(model, path), load_labels(path));
  for (const auto& file : files) {
    const auto stem = fs::path(out) / model / fs::path(file).stem();
    Analysis frames_only;  // the cache keeps the frames, not the windows: events from the frames alone
    frames_only.frames = read_evidence(stem);
    const auto meta = nlohmann::json::parse(std::ifstream(stem.string() + ".json"));
    AnalysisEvents events;
    events.result = events_from_frames(analyzer, frames_only, meta.at("duration_s").get<double>(), {});
    nlohmann::json j;
    add_events_json(j, events);
    std::ofstream(stem.string() + ".events.json") << j;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string model = "mn04_as", model_dir, out, fuse_rule, method = "gradcam";
  int top_k = 1;
  bool time_only = false, from_cache = false;
  double window_s = 10, hop_s = 5;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--model") model = next();
    else if (a == "--model-dir") model_dir = next();
    else if (a == "--out") out = next();
    else if (a == "--fuse") fuse_rule = next();
    else if (a == "--method") method = next();
    else if (a == "--top-k") top_k = std::stoi(next());
    else if (a == "--time") time_only = true;
    else if (a == "--from-cache") from_cache = true;
    else if (a == "--window-s") window_s = std::stod(next());
    else if (a == "--hop-s") hop_s = std::stod(next());
    else files.push_back(a);
  }
  if ((out.empty() && !time_only) || files.empty()) {
    std::cerr << "usage: events_evidence --model NAME [--model-dir DIR] [--window-s S --hop-s S] --out DIR FILE...\n";
    return 2;
  }
  try {
    if (!fuse_rule.empty()) return fuse(fuse_rule, model_dir, out, files);
    if (from_cache) return events_from_cache(model, model_dir, out, files);
    set_inference_threads(1);
    const auto path = model_search_path(model_dir);
    const Analyzer analyzer(load_model(model, path), load_labels(path));
    if (!time_only) fs::create_directories(fs::path(out) / model);
    for (const auto& file : files) {
      const auto stem = fs::path(out) / model / fs::path(file).stem();
      if (!time_only && fs::exists(stem.string() + ".events.json")) continue;  // cached
      const Audio audio = decode_file(file);
      AnalysisOptions options;
      options.top_k = top_k;
      options.method = method;
      options.window_s = window_s;
      options.hop_s = hop_s;
      options.limits.timeout_s = 1e6;
      ask_for_event_classes(options, analyzer);
      options.frame_evidence = true;  // the cache keeps the frames whatever the event windows are
      const Analysis analysis = analyzer.analyze(audio, options);
      const FrameEvidence& f = analysis.frames;
      if (time_only) {
        const auto events = analysis_events(analyzer, audio, analysis, options);
        std::printf("%s %s %s top_k %d: analysis %.0f ms (features %.0f, inference %.0f, explain %.0f), events %.1f ms, "
                    "%zu events, %zu maps\n",
                    file.c_str(), model.c_str(), method.c_str(), top_k, analysis.timings_ms.at("analysis"),
                    analysis.timings_ms.at("features"), analysis.timings_ms.at("inference"),
                    analysis.timings_ms.at("explain"), events.elapsed_ms, events.result.events.size(),
                    analysis.explanations.size());
        continue;
      }
      std::ofstream(stem.string() + ".f32", std::ios::binary)
          .write(reinterpret_cast<const char*>(f.probabilities.data()), std::streamsize(f.probabilities.size() * 4));
      std::ofstream(stem.string() + ".json") << nlohmann::json{{"file", file},
                                                               {"model", model},
                                                               {"frames", f.frames()},
                                                               {"classes", f.classes},
                                                               {"seconds_per_frame", f.seconds_per_frame},
                                                               {"duration_s", analysis.duration_s},
                                                               {"window_s", analysis.window_s},
                                                               {"hop_s", analysis.hop_s},
                                                               {"windows", analysis.timeline.size()}};
      if (!f.columns.empty())  // each column's own evidence, where the frames pool columns
        std::ofstream(stem.string() + ".columns.f32", std::ios::binary)
            .write(reinterpret_cast<const char*>(f.columns.data()), std::streamsize(f.columns.size() * 4));
      {  // the windows' own probabilities too (windows x classes), beside the frames
        std::ofstream w(stem.string() + ".windows.f32", std::ios::binary);
        for (const auto& window : analysis.timeline)
          w.write(reinterpret_cast<const char*>(window.probabilities.data()),
                  std::streamsize(window.probabilities.size() * 4));
      }
      const auto events = analysis_events(analyzer, audio, analysis, options);
      nlohmann::json j;
      add_events_json(j, events);
      std::ofstream(stem.string() + ".events.json") << j;
      std::fprintf(stderr, "%s: %d frames, %zu events, %.0f ms\n", file.c_str(), f.frames(),
                   events.result.events.size(), analysis.timings_ms.at("analysis"));
    }
  } catch (const Error& e) {
    std::cerr << "events_evidence: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
