// soundlens analyze FILE...: a readable table by default, or one JSON object
// per file and line with --json. A file that fails gets an error object; the
// other files still run.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "analysis/analysis.h"
#include "analysis/analysis_json.h"
#include "app/commands.h"
#include "app/text_report.h"
#include "core/error.h"
#include "core/parameters.h"
#include "model/model_registry.h"

namespace soundlens {
namespace {

std::vector<Parameter> analyze_parameters() {
  using K = Parameter::Kind;
  return {
      {"model", "model to use (see: soundlens models)", "mn04_as", K::text, 0, 0, {"mn04_as", "cnn14", "yamnet"}},
      {"model-dir", "directory searched first for model files", "", K::text, 0, 0, {}},
      {"top-k", "number of top classes to report and explain", "5", K::integer, 1, 527, {}},
      {"class", "also explain this class (index or name); repeatable", "", K::text, 0, 0, {}},
      {"window-s", "analysis window for long recordings, seconds", "10", K::number, 1, 60, {}},
      {"hop-s", "hop between windows, seconds", "5", K::number, 0.1, 60, {}},
      {"threads", "inference threads (0 = all cores)", "0", K::integer, 0, 256, {}},
      {"max-duration-s", "longest recording accepted, seconds", "3600", K::number, 0.1, 86400, {}},
      {"json", "print one JSON object per file and line", "", K::flag, 0, 0, {}},
      {"all-probabilities", "with --json: include all class probabilities", "", K::flag, 0, 0, {}},
      {"figure", "write the top class's Grad-CAM figure to this PNG (several files: NAME_<file>.png)", "", K::text, 0, 0, {}},
      {"spectrogram-figure", "write the same figure without the Grad-CAM overlay to this PNG", "", K::text, 0, 0, {}},
      {"help", "show this help", "", K::flag, 0, 0, {}},
  };
}

std::string figure_path(const std::string& requested, const std::string& input, bool several) {
  if (!several) return requested;
  const std::filesystem::path p(requested);
  const auto stem = std::filesystem::path(input).stem().string();
  return (p.parent_path() / (p.stem().string() + "_" + stem + p.extension().string())).string();
}

void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  if (!out) throw Error(ErrorCode::bad_request, "cannot write figure to " + path);
}

nlohmann::json error_json(const std::string& file, const Error& e) {
  return {{"file", file}, {"error", {{"code", error_code_name(e.code())}, {"message", e.what()}}}};
}

}  // namespace

int run_analyze(const std::vector<std::string>& args) {
  const auto declared = analyze_parameters();
  const auto cmd = parse_parameters(declared, args, {"class"});
  const auto& p = cmd.parameters;
  if (p.flag("help") || cmd.positional.empty()) {
    std::cout << "usage: soundlens analyze FILE... [options]\n\noptions:\n" << parameters_help(declared);
    return p.flag("help") ? 0 : 2;
  }
  if (p.number("hop-s") > p.number("window-s"))
    throw Error(ErrorCode::bad_request, "--hop-s must not exceed --window-s");

  set_inference_threads(int(p.integer("threads")));
  const auto search = model_search_path(p.text("model-dir"));
  Analyzer analyzer(load_model(p.text("model"), search), load_labels(search));

  AnalysisOptions options;
  options.top_k = int(p.integer("top-k"));
  options.window_s = p.number("window-s");
  options.hop_s = p.number("hop-s");
  options.figure = !p.text("figure").empty();
  if (!p.text("class").empty()) {
    std::istringstream classes(p.text("class"));
    for (std::string c; std::getline(classes, c);) options.classes.push_back(c);
  }
  DecodeOptions decode;
  decode.max_duration_s = p.number("max-duration-s");
  const bool json = p.flag("json");
  const JsonOptions json_options{p.flag("all-probabilities")};

  int failures = 0;
  for (const auto& file : cmd.positional) {
    try {
      const auto t0 = std::chrono::steady_clock::now();
      const Audio audio = decode_file(file, decode);
      const double decode_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      Analysis analysis = analyzer.analyze(audio, options);
      analysis.timings_ms["decode"] = decode_ms;
      analysis.timings_ms["total"] =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      const bool several = cmd.positional.size() > 1;
      if (options.figure) write_file(figure_path(p.text("figure"), file, several), analysis.figure_png);
      if (!p.text("spectrogram-figure").empty())
        write_file(figure_path(p.text("spectrogram-figure"), file, several), analyzer.figure_png(audio, nullptr));
      if (json) {
        auto j = analysis_to_json(analysis, json_options);
        j["file"] = file;
        std::cout << j.dump() << std::endl;
      } else {
        print_text_report(std::cout, file, analysis);
      }
    } catch (const Error& e) {
      ++failures;
      if (json) std::cout << error_json(file, e).dump() << std::endl;
      else std::cerr << file << ": error (" << error_code_name(e.code()) << "): " << e.what() << "\n";
    }
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace soundlens
