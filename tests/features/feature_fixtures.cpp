#include "feature_fixtures.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "test_paths.h"

namespace soundlens::test {

FeatureFixtures::FeatureFixtures(std::string dir) : dir_(std::move(dir)) {
  std::ifstream in(dir_ + "/manifest.json");
  if (!in) throw std::runtime_error("no manifest.json in " + dir_);
  manifest_ = nlohmann::json::parse(in);
}

std::vector<std::string> FeatureFixtures::cases() const { return manifest_.at("cases").get<std::vector<std::string>>(); }

bool FeatureFixtures::has(const std::string& name) const { return manifest_.at("arrays").contains(name); }

Array FeatureFixtures::array(const std::string& name) const {
  Array a;
  a.shape = manifest_.at("arrays").at(name).get<std::vector<int>>();
  std::size_t count = 1;
  for (int d : a.shape) count *= std::size_t(d);
  a.values.resize(count);
  std::ifstream in(dir_ + "/" + name + ".f32", std::ios::binary);
  // The fixtures are little-endian float32, which is also this machine's layout.
  in.read(reinterpret_cast<char*>(a.values.data()), std::streamsize(count * sizeof(float)));
  if (!in || in.peek() != std::char_traits<char>::eof())
    throw std::runtime_error(name + ".f32 does not hold exactly the manifest's shape");
  return a;
}

const nlohmann::json& FeatureFixtures::banks(const std::string& frontend) const {
  return manifest_.at("banks").at(frontend);
}

std::string regenerate_reference_fixtures() {
  namespace fs = std::filesystem;
  std::string pattern = (fs::temp_directory_path() / "soundlens-features-XXXXXX").string();
  if (!mkdtemp(pattern.data())) return "";
  const std::string script = source_dir() + "/tools/reference/make_feature_fixtures.py";
  std::string command = "/usr/bin/python3 '" + script + "' '" + pattern + "' --float32";
  const std::string clip = shared_audio("esc50-sample/2-103426-A-3.flac");
  if (fs::exists(clip)) command += " --real-audio '" + clip + "'";
  if (std::system((command + " >/dev/null").c_str()) != 0) return "";
  return pattern;
}

const std::string& reference_fixtures() {
  struct Generated {
    std::string dir;
    ~Generated() {
      if (!dir.empty()) std::filesystem::remove_all(dir);
    }
  };
  static const Generated generated{have_reference_python() ? regenerate_reference_fixtures() : std::string()};
  return generated.dir;
}

double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return std::numeric_limits<double>::infinity();
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double d = std::abs(double(a[i]) - double(b[i]));
    if (!(d <= worst)) worst = d;  // NaN propagates as the worst
  }
  return worst;
}

}  // namespace soundlens::test
