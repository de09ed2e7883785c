#pragma once
// Runs tools/reference/model_reference.py (Debian's python3-torch) and reads its output.
#include <string>
#include <vector>

namespace soundlens::test {

struct ReferenceOutput {
  std::vector<float> logits;
  int frames = 0;
  std::vector<int> classes;
  std::vector<std::vector<std::vector<float>>> cams;  // per class: rows (lowest frequency first) x cols
};

std::string temp_dir(const std::string& name);  // a fresh directory under the system temp dir
void write_f32(const std::string& path, const std::vector<float>& samples);
std::vector<float> read_f32(const std::string& path);
ReferenceOutput read_reference(const std::string& json_path);
// model: "efficientat" or "cnn14". Returns the output path.
std::string run_reference(const std::string& model, const std::string& checkpoint, const std::string& wave,
                          const std::vector<int>& classes, const std::string& out_json);
void make_random_cnn14(const std::string& path, int seed);

}  // namespace soundlens::test
