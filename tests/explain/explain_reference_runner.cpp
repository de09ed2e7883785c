#include "explain_reference_runner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "reference_runner.h"
#include "test_paths.h"

namespace soundlens::test {

ExplainReference run_explain_reference(const std::string& method, const std::string& model,
                                       const std::string& checkpoint, const MelSpectrogram& mel,
                                       const std::vector<ExplainTarget>& targets, const std::string& dir, int steps,
                                       int max_steps) {
  write_f32(dir + "/mel.f32", mel.values);
  std::string classes, contrasts;
  for (const auto& t : targets) {
    classes += (classes.empty() ? "" : ",") + std::to_string(t.class_index);
    contrasts += (contrasts.empty() ? "" : ",") + std::to_string(t.contrast_index);
  }
  const auto out = dir + "/explain.json";
  const auto cmd = "/usr/bin/python3 " + source_dir() + "/tools/reference/explain_reference.py " + method + " " +
                   model + " '" + checkpoint + "' '" + dir + "/mel.f32' " + std::to_string(mel.n_mels) + " '" + out +
                   "' --classes " + classes + " --contrasts " + contrasts + " --steps " + std::to_string(steps) +
                   " --max-steps " + std::to_string(max_steps);
  ExplainReference r;
  if (std::system(cmd.c_str()) != 0) {
    ADD_FAILURE() << "reference failed: " << cmd;
    return r;
  }
  std::ifstream in(out);
  const auto j = nlohmann::json::parse(in);
  r.logits = j.at("logits").get<std::vector<float>>();
  r.grids = j.at("grids").get<std::vector<std::vector<std::vector<double>>>>();
  if (!j.at("completeness").is_null()) r.completeness = j.at("completeness").get<std::vector<double>>();
  return r;
}

double normalised_difference(const CamGrid& cpp, const std::vector<std::vector<double>>& ref) {
  EXPECT_EQ(cpp.rows, int(ref.size()));
  if (ref.empty() || cpp.rows != int(ref.size())) return INFINITY;
  EXPECT_EQ(cpp.cols, int(ref[0].size()));
  if (cpp.cols != int(ref[0].size())) return INFINITY;
  double peak = 0;
  for (const auto& row : ref)
    for (double v : row) peak = std::max(peak, v);
  if (peak <= 0) peak = 1;
  double worst = 0;
  for (int r = 0; r < cpp.rows; ++r)
    for (int c = 0; c < cpp.cols; ++c)
      worst = std::max(worst, std::abs(cpp.values[size_t(r) * cpp.cols + c] - ref[r][c]) / peak);
  return worst;
}

}  // namespace soundlens::test
