#pragma once
// Reads the parity fixtures that tools/reference/make_feature_fixtures.py writes.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace soundlens::test {

struct Array {
  std::vector<int> shape;
  std::vector<float> values;
};

class FeatureFixtures {
 public:
  explicit FeatureFixtures(std::string dir);  // throws if manifest.json is missing

  const std::string& dir() const { return dir_; }
  std::vector<std::string> cases() const;
  bool has(const std::string& name) const;
  Array array(const std::string& name) const;
  const nlohmann::json& banks(const std::string& frontend) const;  // "efficientat" / "panns"

 private:
  std::string dir_;
  nlohmann::json manifest_;
};

// Runs the Python generator into a fresh temp dir, with the float32 pipelines
// and (when the shared audio is present) a recorded ESC-50 clip; returns the
// dir, or "" on failure. Nothing of it is stored in the repository.
std::string regenerate_reference_fixtures();

// The generator's fixtures, made once per test process (removed at its exit):
// the dir, or "" when the reference Python is missing or the generator failed.
const std::string& reference_fixtures();

// Largest |a - b| over two equally long arrays (infinity when lengths differ).
double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace soundlens::test
