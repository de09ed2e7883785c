// soundlens compare FILE --models A,B: the same recording through two models,
// side by side, and where they agree: the top classes both find, the time
// profiles of their maps for those classes, and the events both place.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "analysis/analysis.h"
#include "analysis_events/fused_analysis.h"
#include "app/commands.h"
#include "service/file_analysis/file_analysis.h"
#include "compare/compare_run.h"
#include "core/error.h"
#include "core/parameters.h"
#include "model/model_registry.h"

namespace soundlens {
namespace {

std::vector<Parameter> compare_parameters() {
  using K = Parameter::Kind;
  std::vector<Parameter> all{
      {"models", "the two models to compare, comma-separated (see: soundlens models; fused is one)", "mn04_as,yamnet", K::text, 0,
       0, {}},
      {"model-dir", "directory searched first for model files", "", K::text, 0, 0, {}},
  };
  for (const auto* list : {&analysis_parameters(), &analysis_limit_parameters(), &file_analysis_parameters()})
    all.insert(all.end(), list->begin(), list->end());
  const std::vector<Parameter> cli_only{
      {"json", "print one JSON object: models, results (per model, as analyze --json), agreement", "", K::flag, 0,
       0, {}},
      {"all-probabilities", "with --json: include all class probabilities", "", K::flag, 0, 0, {}},
      {"help", "show this help", "", K::flag, 0, 0, {}},
  };
  all.insert(all.end(), cli_only.begin(), cli_only.end());
  return all;
}

std::vector<std::string> two_models(const std::string& list) {
  std::vector<std::string> names;
  std::stringstream in(list);
  for (std::string name; std::getline(in, name, ',');)
    if (!name.empty()) names.push_back(name);
  if (names.size() != 2 || names[0] == names[1])
    throw Error(ErrorCode::bad_request, "--models takes two different model names, e.g. mn04_as,yamnet (got '" +
                                            list + "')");
  for (const auto& name : names)  // unknown names: bad_request, before any loading
    if (!is_fused_model(name)) (void)find_model(name, {});
  return names;
}

std::string class_list(const std::vector<Prediction>& list) {
  std::string out;
  for (const auto& p : list) out += (out.empty() ? "" : ", ") + p.label + " (" + std::to_string(p.index) + ")";
  return out.empty() ? "none" : out;
}

void print_text(std::ostream& out, const std::string& file, const CompareRun& run) {
  const auto& c = run.comparison;
  out << file << "\n";
  for (std::size_t m = 0; m < run.runs.size(); ++m)
    out << "  " << std::left << std::setw(10) << run.runs[m].model << " top: " << class_list(top_classes(run.runs[m].analysis, 5))
        << "\n";
  out << "  both top 5: " << class_list(c.top_shared) << "\n";
  for (std::size_t m = 0; m < c.models.size(); ++m)
    out << "  only " << c.models[m] << ": " << class_list(c.top_only[m]) << "\n";
  for (const auto& r : c.profile_correlation) {
    out << "  map time profiles, " << r.label << ": ";
    if (r.pearson) out << "r = " << std::fixed << std::setprecision(2) << *r.pearson << std::defaultfloat << "\n";
    else out << "undefined (a constant profile)\n";
  }
  out << "  events found by both: " << c.events_both.size();
  for (std::size_t m = 0; m < c.models.size(); ++m) out << ", only " << c.models[m] << ": " << c.events_only[m].size();
  out << "\n";
  if (c.top_shared.empty()) out << "  The models disagree: no class is in both top 5.\n";
}

}  // namespace

int run_compare(const std::vector<std::string>& args) {
  const auto declared = compare_parameters();
  const auto cmd = parse_parameters(declared, args);
  const auto& p = cmd.parameters;
  if (p.flag("help") || cmd.positional.size() != 1) {
    std::cout << "usage: soundlens compare FILE [--models A,B] [options]\n\noptions:\n" << parameters_help(declared);
    return p.flag("help") ? 0 : 2;
  }
  const auto names = two_models(p.text("models"));
  AnalysisOptions options = analysis_options(p);
  options.limits = command_line_limits(p);
  set_inference_threads(int(p.integer("threads")));
  const auto search = model_search_path(p.text("model-dir"));
  const auto labels = load_labels(search);
  // Each named model; the fused one is its two parts (the first is the analyzer, the second beside it).
  std::vector<FusedAnalyzers> loaded;
  for (const auto& name : names) {
    if (is_fused_model(name)) loaded.push_back(load_fused_analyzers(search, labels));
    else loaded.push_back({std::make_shared<const Analyzer>(load_model(name, search), labels), nullptr});
  }
  const ComparedModel first{loaded[0].first.get(), loaded[0].second.get()};
  const ComparedModel second{loaded[1].first.get(), loaded[1].second.get()};

  const std::string& file = cmd.positional[0];
  DecodeOptions decode;
  decode.max_duration_s = p.number("max-duration-s");
  const auto t0 = std::chrono::steady_clock::now();
  const auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  double decode_ms = 0;
  CompareRun run;
  try {
    const Audio audio = decode_file(file, decode);
    decode_ms = ms(t0, std::chrono::steady_clock::now());
    run = run_compare(first, second, audio, options);
  } catch (const Error& e) {
    if (!p.flag("json")) throw;
    // As analyze --json reports a file that fails.
    std::cout << nlohmann::json{{"file", file}, {"error", {{"code", error_code_name(e.code())}, {"message", e.what()}}}}
                     .dump()
              << std::endl;
    return 1;
  }
  const auto t2 = std::chrono::steady_clock::now();
  if (p.flag("json")) {
    auto j = compare_run_to_json(run, JsonOptions{p.flag("all-probabilities")});
    j["file"] = file;
    j["timings_ms"] = {{"decode", decode_ms}, {"analyses_and_compare", ms(t0, t2) - decode_ms},
                       {"compare", run.compare_ms}, {"total", ms(t0, t2)}};
    std::cout << j.dump() << std::endl;
  } else {
    print_text(std::cout, file, run);
  }
  return 0;
}

}  // namespace soundlens
