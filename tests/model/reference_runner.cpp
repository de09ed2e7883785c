#include "reference_runner.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_paths.h"

namespace soundlens::test {
namespace fs = std::filesystem;

std::string temp_dir(const std::string& name) {
  const auto dir = fs::temp_directory_path() / ("soundlens-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

void write_f32(const std::string& path, const std::vector<float>& samples) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(samples.data()), std::streamsize(samples.size() * sizeof(float)));
}

std::vector<float> read_f32(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  std::vector<float> v(std::size_t(in.tellg()) / sizeof(float));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(v.data()), std::streamsize(v.size() * sizeof(float)));
  return v;
}

ReferenceOutput read_reference(const std::string& json_path) {
  std::ifstream in(json_path);
  const auto j = nlohmann::json::parse(in);
  ReferenceOutput r;
  r.logits = j.at("logits").get<std::vector<float>>();
  r.frames = j.at("frames").get<int>();
  r.classes = j.at("classes").get<std::vector<int>>();
  r.cams = j.at("cams").get<std::vector<std::vector<std::vector<float>>>>();
  return r;
}

static void run(const std::string& args) {
  const auto cmd = "/usr/bin/python3 " + source_dir() + "/tools/reference/model_reference.py " + args;
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

std::string run_reference(const std::string& model, const std::string& checkpoint, const std::string& wave,
                          const std::vector<int>& classes, const std::string& out_json) {
  std::string list;
  for (int c : classes) list += (list.empty() ? "" : ",") + std::to_string(c);
  run("run " + model + " '" + checkpoint + "' '" + wave + "' '" + out_json + "'" +
      (list.empty() ? "" : " --classes " + list));
  return out_json;
}

void make_random_cnn14(const std::string& path, int seed) {
  run("make-cnn14 '" + path + "' --seed " + std::to_string(seed));
}

}  // namespace soundlens::test
