#pragma once
// The real mn04_as and yamnet analyzers from ../shared/models, loaded once per
// test program and shared by its tests (loading takes a second each).
#include <string>

#include "analysis/analysis.h"
#include "model/model_registry.h"
#include "test_paths.h"

namespace soundlens::test {

inline const Analyzer& real_analyzer(const std::string& model) {
  static const Analyzer mn(load_model("mn04_as", {models_dir()}), load_labels({models_dir()}));
  static const Analyzer yam(load_model("yamnet", {models_dir()}), load_labels({models_dir()}));
  return model == "yamnet" ? yam : mn;
}

}  // namespace soundlens::test
