// soundlens robustness FILE [--class NAME]...: how the classes' probabilities
// hold up when the recording is changed as clinical audio is in practice
// (noise at 20 to 0 dB SNR, telephone and 8 kHz channels, a cheap microphone,
// gain and clipping, a delay), with one sentence per class and a figure.
#include <cmath>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "app/commands.h"
#include "app/embedding_pass_options.h"
#include "app/output_file.h"
#include "audio/audio.h"
#include "core/error.h"
#include "core/parameters.h"
#include "model/model_registry.h"
#include "render/chart.h"
#include "robustness/robustness.h"

namespace soundlens {
namespace {

std::vector<Parameter> robustness_parameters() {
  using K = Parameter::Kind;
  std::vector<Parameter> all{
      {"class", "a class to measure (index or name; repeat for more); default: the recording's top class", "", K::text,
       0, 0, {}},
      {"model", "model to use: mn04_as, cnn14, yamnet, or one made by soundlens train", "mn04_as", K::text, 0, 0, {}},
      {"seed", "seed of the added noise", "1", K::integer, 0, 1e9, {}},
      {"figure", "write the probability against each change to this PNG", "", K::text, 0, 0, {}},
  };
  all[0].repeatable = true;
  for (const auto& p : embedding_pass_parameters()) all.push_back(p);
  return all;
}

std::vector<std::uint8_t> robustness_png(const RobustnessResult& r) {
  ChartSpec chart;
  chart.title = "How the prediction holds up";
  chart.x_label = "the recording changed";
  chart.y_label = "clip probability";
  chart.reference = 0.5;
  chart.positions.push_back("as recorded");
  for (const auto& row : r.rows) chart.positions.push_back(row.perturbation.condition);
  for (std::size_t k = 0; k < r.classes.size(); ++k) {
    ChartSeries s{r.labels[k], {r.clean[k]}, false};
    for (const auto& row : r.rows) s.y.push_back(row.probability[k]);
    chart.series.push_back(std::move(s));
  }
  for (const auto& sentence : r.sentences) {  // wrapped at words, about 150 characters a line
    std::string line;
    for (std::size_t at = 0; at < sentence.size();) {
      auto end = sentence.find(' ', at);
      if (end == std::string::npos) end = sentence.size();
      const auto word = sentence.substr(at, end - at);
      if (!line.empty() && line.size() + word.size() > 150) chart.notes.push_back(line), line.clear();
      line += (line.empty() ? "" : " ") + word;
      at = end + 1;
    }
    if (!line.empty()) chart.notes.push_back(line);
  }
  return chart_png(chart, 1100, 640 + 18 * int(chart.notes.size()));
}

}  // namespace

int run_robustness(const std::vector<std::string>& args) {
  const auto declared_list = robustness_parameters();
  const auto cmd = parse_parameters(declared_list, args);
  const auto& p = cmd.parameters;
  if (p.flag("help") || cmd.positional.size() != 1) {
    std::cout << "usage: soundlens robustness FILE [--class NAME]... [options]\n\noptions:\n" << parameters_help(declared_list);
    return p.flag("help") ? 0 : 2;
  }
  const auto audio = decode_file(cmd.positional[0]);  // a file that cannot be read says so before any model loads
  set_inference_threads(int(p.integer("threads")));
  const auto search = model_search_path(p.text("model-dir"));
  const Analyzer analyzer(load_model(p.text("model"), search), load_labels(search));
  RobustnessOptions o;
  o.windows = embedding_pass_options(p);
  o.seed = std::uint64_t(p.integer("seed"));
  for (const auto& name : list_items(p.text("class"))) {
    const auto index = analyzer.labels().find(name);
    if (!index) throw Error(ErrorCode::bad_request, "unknown class " + quoted_value(name) + " for --class (give an index 0-" +
                                                        std::to_string(analyzer.labels().size() - 1) + " or a class name)");
    o.classes.push_back(*index);
  }
  const auto r = robustness(analyzer, audio, o);
  if (!p.text("figure").empty()) write_file(p.text("figure"), robustness_png(r));
  if (p.flag("json")) {
    auto j = robustness_to_json(r);
    j["file"] = cmd.positional[0];
    j["model"] = analyzer.model().info().name;
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  std::size_t width = 22;
  std::cout << std::fixed << std::setprecision(2) << std::left << std::setw(int(width)) << "change";
  for (const auto& l : r.labels) std::cout << "  " << l;
  std::cout << "\n" << std::setw(int(width)) << "as recorded";
  for (float v : r.clean) std::cout << "  " << v;
  std::cout << "\n";
  for (const auto& row : r.rows) {
    std::cout << std::setw(int(width)) << row.perturbation.condition;
    for (float v : row.probability) std::cout << "  " << v;
    std::cout << "\n";
  }
  for (const auto& s : r.skipped) std::cout << "Not measured: " << s << "\n";
  for (const auto& s : r.sentences) std::cout << s << "\n";
  return 0;
}

}  // namespace soundlens
