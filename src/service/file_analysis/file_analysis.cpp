#include "service/file_analysis/file_analysis.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include "analysis_events/fused_analysis.h"
#include "core/error.h"
#include "model/model_registry.h"
#include "render/analysis_figure.h"

namespace soundlens {
namespace {

// A recording longer than this is streamed (about twice the work, bounded
// memory), unless an output needs every sample at once.
constexpr double kStreamOverS = 600;

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// The analyzer returns the figure's data (Analysis::overview); render/ draws it.
void draw_figure(const FileAnalysisSetup& setup, FileAnalysis& out) {
  if (!setup.options.figure || out.analysis.explanations.empty()) return;
  const auto t0 = std::chrono::steady_clock::now();
  out.figure_png = analysis_figure_png(out.analysis);
  out.analysis.timings_ms["render"] = ms_since(t0);
}

}  // namespace

const std::vector<Parameter>& file_analysis_parameters() {
  using K = Parameter::Kind;
  static const std::vector<Parameter> all{
      {"threads", "inference threads (0 = the cores not busy with other work: all of them on an idle machine)", "0", K::integer, 0, 256, {}},
      {"max-duration-s", "longest recording accepted, seconds", "3600", K::number, 0.1, 86400, {}},
  };
  return all;
}

FusedAnalyzers load_fused_analyzers(const std::vector<std::string>& search_path, std::shared_ptr<const Labels> labels) {
  const auto& parts = fused_model_parts();
  const auto load = [&](const std::string& name) {
    try {
      return std::make_shared<const Analyzer>(load_model(name, search_path), labels);
    } catch (const Error& e) {
      throw Error(e.code(), "the fused model is made of " + parts[0] + " and " + parts[1] + ": " + e.what());
    }
  };
  return {load(parts[0]), load(parts[1])};
}

FileAnalysis analyze_file(const FileAnalysisSetup& setup, const std::string& path) {
  const auto t0 = std::chrono::steady_clock::now();
  const Analyzer& analyzer = *setup.analyzer;
  FileAnalysis out;
  std::optional<Audio> whole = setup.streamable ? decode_file_up_to(path, kStreamOverS, setup.decode)
                                                : std::optional(decode_file(path, setup.decode));
  if (!whole) {
    // Read as a stream, never held whole: bounded memory for any length.
    DecodeOptions each_reading = setup.decode;
    each_reading.time_limit_s = std::max(setup.decode.time_limit_s, setup.options.limits.timeout_s);
    auto result = setup.fused_second ? fused_analyze_stream({&analyzer, setup.fused_second}, file_reader(path, each_reading),
                                                            setup.options, setup.events)
                                     : analyze_stream_with_events(analyzer, file_reader(path, each_reading),
                                                                  setup.options, setup.events);
    out.analysis = std::move(result.analysis);
    out.events = std::move(result.events);
    draw_figure(setup, out);
  } else {
    const double decode_ms = ms_since(t0);
    out = analyze_audio(setup, std::move(*whole));
    out.analysis.timings_ms["decode"] = decode_ms;
  }
  out.analysis.timings_ms["total"] = ms_since(t0);
  return out;
}

FileAnalysis analyze_audio(const FileAnalysisSetup& setup, Audio audio) {
  const auto t0 = std::chrono::steady_clock::now();
  FileAnalysis out;
  out.audio = std::move(audio);
  if (setup.fused_second) {
    auto fused = fused_analyze({setup.analyzer, setup.fused_second}, out.audio, setup.options, setup.events);
    out.analysis = std::move(fused.analysis);
    out.events = std::move(fused.events);
  } else {
    out.analysis = setup.analyzer->analyze(out.audio, setup.options);
    out.events = analysis_events(*setup.analyzer, out.audio, out.analysis, setup.options, setup.events);
  }
  draw_figure(setup, out);
  out.analysis.timings_ms["total"] = ms_since(t0);
  return out;
}

}  // namespace soundlens
