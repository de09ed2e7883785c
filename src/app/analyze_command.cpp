// soundlens analyze FILE...: a readable table by default, or one JSON object
// per file and line with --json. A file that fails gets an error object; the
// other files still run. `soundlens analyze DIR --out-dir OUT` is a batch
// over a folder (app/batch_command.h).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "analysis/analysis.h"
#include "analysis/analysis_json.h"
#include "analysis_events/analysis_events.h"
#include "analysis_events/fused_analysis.h"
#include "app/batch_command.h"
#include "app/calibration_option.h"
#include "app/commands.h"
#include "app/output_file.h"
#include "service/file_analysis/file_analysis.h"
#include "app/report_file.h"
#include "app/text_report.h"
#include "audio/wav_writer.h"
#include "core/error.h"
#include "core/parameters.h"
#include "exports/exports.h"
#include "model/calibration_file.h"
#include "model/model_registry.h"
#include "render/analysis_figure.h"

namespace soundlens {
namespace {

std::string model_help() {
  std::string names;
  for (const auto& m : known_models()) names += (names.empty() ? "" : ", ") + m.name;
  names += ", " + std::string(kFusedModelName) + " (" + fused_model_parts()[0] + " and " + fused_model_parts()[1] +
           " together)";
  return "model to use: " + names + ", or one made by soundlens train (its directory, or its name in a model folder)";
}

std::vector<Parameter> analyze_parameters() {
  using K = Parameter::Kind;
  std::vector<Parameter> all{
      {"model", model_help(), default_model_name(), K::text, 0, 0, {}},
      {"model-dir", "directory searched first for model files", "", K::text, 0, 0, {}},
  };
  for (const auto* list : {&analysis_parameters(), &event_parameters(), &analysis_limit_parameters(),
                           &file_analysis_parameters()})
    all.insert(all.end(), list->begin(), list->end());
  const std::vector<Parameter> cli_only{
      {"json", "print one JSON object per file and line", "", K::flag, 0, 0, {}},
      calibration_parameter(),
      {"all-probabilities", "with --json: include all class probabilities", "", K::flag, 0, 0, {}},
      {"figure", "write the top class's Grad-CAM figure to this PNG (several files: NAME_<file>.png)", "", K::text, 0, 0, {}},
      {"spectrogram-figure", "write the same figure without the Grad-CAM overlay to this PNG", "", K::text, 0, 0, {}},
      {"listen", "write what the first explained class's map keeps to this WAV (and what it removes to "
                 "NAME.removed.wav), and report both clip probabilities in the JSON", "", K::text, 0, 0, {}},
      {"events-csv", "write the events as CSV (several files: NAME_<file>.csv)", "", K::text, 0, 0, {}},
      {"raven", "write the events as a Raven selection table", "", K::text, 0, 0, {}},
      {"audacity", "write the events as an Audacity label track", "", K::text, 0, 0, {}},
      {"report", "write the PDF report to this file (several files: NAME_<file>.pdf)", "", K::text, 0, 0, {}},
      {"help", "show this help", "", K::flag, 0, 0, {}},
  };
  all.insert(all.end(), cli_only.begin(), cli_only.end());
  const auto& batch = batch_parameters();
  all.insert(all.end(), batch.begin(), batch.end());
  return all;
}

std::string output_path(const std::string& requested, const std::string& input, bool several) {
  if (!several) return requested;
  const std::filesystem::path p(requested);
  const auto stem = std::filesystem::path(input).stem().string();
  return (p.parent_path() / (p.stem().string() + "_" + stem + p.extension().string())).string();
}

// OUT.wav -> OUT.removed.wav
std::string removed_path(const std::string& kept) {
  const std::filesystem::path p(kept);
  return (p.parent_path() / (p.stem().string() + ".removed" + p.extension().string())).string();
}

// What the map keeps and removes, written as 16-bit WAV, and checked by the model.
void write_listening(const Analyzer& analyzer, const Audio& audio, const AnalysisOptions& options,
                     Explanation& explanation, const std::string& path) {
  const ListenResult heard = analyzer.listen_search(audio, explanation, options);
  write_file(path, encode_wav_pcm16(heard.audio.kept, heard.audio.sample_rate));
  write_file(removed_path(path), encode_wav_pcm16(heard.audio.removed, heard.audio.sample_rate));
  explanation.listen = Analyzer::check_of(heard);
}

// The event exports asked for: flag -> writer.
const std::vector<std::pair<std::string, std::string (*)(std::span<const Event>)>>& event_exports() {
  static const std::vector<std::pair<std::string, std::string (*)(std::span<const Event>)>> all{
      {"events-csv", write_events_csv}, {"raven", write_raven}, {"audacity", write_audacity}};
  return all;
}

nlohmann::json error_json(const std::string& file, const Error& e) {
  return {{"file", file}, {"error", {{"code", error_code_name(e.code())}, {"message", e.what()}}}};
}

}  // namespace

int run_analyze(const std::vector<std::string>& args) {
  const auto declared = analyze_parameters();
  const auto cmd = parse_parameters(declared, args);
  const auto& p = cmd.parameters;
  if (p.flag("help") || cmd.positional.empty()) {
    std::cout << "usage: soundlens analyze FILE... [options]\n"
                 "       soundlens analyze DIR --out-dir OUT [--resume] [options]\n\noptions:\n"
              << parameters_help(declared);
    return p.flag("help") ? 0 : 2;
  }
  AnalysisOptions options = analysis_options(p);
  options.limits = command_line_limits(p);
  options.figure = !p.text("figure").empty();
  const AnalysisEventOptions event_settings = event_options(p);

  const bool folder = is_batch_folder(cmd.positional, p);  // checks the batch options
  set_inference_threads(int(p.integer("threads")));
  const auto search = model_search_path(p.text("model-dir"));
  const bool fused = is_fused_model(p.text("model"));
  if (fused && !p.text("calibration").empty())
    throw Error(ErrorCode::bad_request, "--calibration recalibrates one model's classes; the fused model is two "
                                        "(calibrate and use mn04_as or yamnet on its own)");
  // The fused model: its first part is the analyzer below (its figures, spectrogram, listening), the second runs beside it.
  std::shared_ptr<const Analyzer> fused_second;
  std::shared_ptr<const Model> model;
  if (fused) {
    const FusedAnalyzers parts = load_fused_analyzers(search, load_labels(search));
    model = std::shared_ptr<const Model>(parts.first, &parts.first->model());
    fused_second = parts.second;
  } else {
    model = load_model(p.text("model"), search);
  }
  nlohmann::json calibration;
  const auto labels = load_labels(search);
  if (!p.text("calibration").empty()) {
    const auto file = read_calibration_file(p.text("calibration"));
    model = calibrated(std::move(model), file, p.text("calibration"), labels.get());
    calibration = calibration_summary(file, p.text("calibration"));
  }
  Analyzer analyzer(std::move(model), labels);
  ask_for_event_classes(options, analyzer, event_settings);

  FileAnalysisSetup setup;
  setup.analyzer = &analyzer;
  setup.fused_second = fused_second.get();
  setup.options = options;
  setup.events = event_settings;
  setup.decode.max_duration_s = p.number("max-duration-s");
  // Outputs that need every sample at once: the listening check, the plain
  // spectrogram figure, the report, faithfulness, sanity.
  setup.streamable = !options.faithfulness && !options.sanity && p.text("listen").empty() &&
                     p.text("spectrogram-figure").empty() && p.text("report").empty();
  if (folder) return run_analyze_folder(cmd.positional.front(), p, setup);
  const bool json = p.flag("json");
  const JsonOptions json_options{p.flag("all-probabilities")};

  int failures = 0;
  for (const auto& file : cmd.positional) {
    try {
      auto [audio, analysis, events, figure_png] = analyze_file(setup, file);
      const bool several = cmd.positional.size() > 1;
      if (options.figure) write_file(output_path(p.text("figure"), file, several), figure_png);
      if (!p.text("spectrogram-figure").empty())
        write_file(output_path(p.text("spectrogram-figure"), file, several),
                   spectrogram_figure_png(analyzer.spectrogram(audio), analyzer.model().info().name));
      if (!p.text("listen").empty() && !analysis.explanations.empty())
        write_listening(analyzer, audio, options, analysis.explanations.front(),
                        output_path(p.text("listen"), file, several));
      for (const auto& [flag, write] : event_exports())
        if (!p.text(flag).empty()) write_file(output_path(p.text(flag), file, several), write(events.result.events));
      if (!p.text("report").empty())
        write_file(output_path(p.text("report"), file, several),
                   report_pdf(file, analyzer, audio, analysis, events, options, event_settings));
      if (json) {
        auto j = analysis_to_json(analysis, json_options);
        add_events_json(j, events);
        j["file"] = file;
        if (!calibration.is_null()) j["calibration"] = calibration;
        std::cout << j.dump() << std::endl;
      } else {
        print_text_report(std::cout, file, analysis, events.result);
        if (!calibration.is_null())
          std::cout << "  calibrated: " << calibration["classes"].size() << " classes by " << calibration["file"].get<std::string>()
                    << " (fitted on " << calibration["files"] << " files of " << calibration["fitted_on"].get<std::string>()
                    << ")\n";
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
