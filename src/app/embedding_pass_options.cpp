#include "app/embedding_pass_options.h"

#include <algorithm>

#include "core/error.h"
#include "service/file_analysis/file_analysis.h"

namespace soundlens {

std::vector<Parameter> embedding_pass_parameters() {
  using K = Parameter::Kind;
  std::vector<Parameter> picked{
      {"model-dir", "directory searched first for model files", "", K::text, 0, 0, {}},
      {"json", "print the result as one JSON object", "", K::flag, 0, 0, {}},
      {"help", "show this help", "", K::flag, 0, 0, {}},
  };
  for (const auto* list : {&analysis_parameters(), &file_analysis_parameters()})
    for (const auto& p : *list)
      if (p.name == "window-s" || p.name == "hop-s" || p.name == "threads") picked.push_back(p);
  if (picked.size() != 6) throw Error(ErrorCode::internal, "the window, hop and thread parameters are not declared");
  return picked;
}

AnalysisOptions embedding_pass_options(const ParameterValues& p) {
  AnalysisOptions o;
  o.window_s = p.number("window-s");
  o.hop_s = p.was_set("hop-s") ? p.number("hop-s") : std::min(p.number("hop-s"), o.window_s);
  o.limits.timeout_s = kNoTimeLimit;  // the command line has no time limit unless one is given
  validate_options(o);
  return o;
}

}  // namespace soundlens
