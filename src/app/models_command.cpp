// soundlens models [--model-dir DIR]       list models and where they were looked for
// soundlens models pull NAME [--model-dir DIR]  download an official checkpoint
#include <filesystem>
#include <iostream>

#include "app/commands.h"
#include "core/error.h"
#include "core/parameters.h"
#include "http/download.h"
#include "model/model_registry.h"

namespace soundlens {
namespace {

std::vector<Parameter> models_parameters() {
  return {{"model-dir", "directory searched first for model files (pull writes there; default ./models)", "",
           Parameter::Kind::text, 0, 0, {}},
          {"help", "show this help", "", Parameter::Kind::flag, 0, 0, {}}};
}

int list_models(const std::vector<std::string>& search) {
  for (const auto& info : known_models()) {
    const auto a = find_model(info.name, search);
    std::cout << info.name << (info.name == default_model_name() ? " (default)" : "") << ": " << info.architecture
              << ", AudioSet mAP " << info.audioset_map << "\n"
              << "  " << (a.found ? "found: " + *a.found : "NOT FOUND") << "\n  looked in:\n";
    for (const auto& p : a.looked_in) std::cout << "    " << p << "\n";
    if (!a.found) std::cout << "  get it from: " << info.weights_url << "\n";
  }
  return 0;
}

int pull_model(const std::string& name, const std::string& model_dir) {
  const auto a = find_model(name, model_search_path(model_dir));
  if (a.info.weights_md5.empty())
    throw Error(ErrorCode::bad_request, "model '" + name + "' has no published checksum to verify a download");
  namespace fs = std::filesystem;
  const fs::path destination = fs::path(model_dir.empty() ? "./models" : model_dir) / a.info.weights_file;
  fs::create_directories(destination.parent_path());
  std::cout << "downloading " << a.info.weights_url << "\n  to " << destination.string() << " ("
            << a.info.weights_bytes / 1000000 << " MB)" << std::endl;
  const fs::path partial = destination.string() + ".download";
  const auto got = download_file(a.info.weights_url, partial.string());
  if (got.bytes != a.info.weights_bytes || got.md5_hex != a.info.weights_md5) {
    fs::remove(partial);
    throw Error(ErrorCode::internal, "the download does not match the official file (got " +
                                         std::to_string(got.bytes) + " bytes, MD5 " + got.md5_hex + "; expected " +
                                         std::to_string(a.info.weights_bytes) + " bytes, MD5 " +
                                         a.info.weights_md5 + "); nothing was kept");
  }
  fs::rename(partial, destination);
  std::cout << "ok: size and MD5 match the official checkpoint" << std::endl;
  return 0;
}

}  // namespace

int run_models(const std::vector<std::string>& args) {
  const auto declared = models_parameters();
  const auto cmd = parse_parameters(declared, args);
  if (cmd.parameters.flag("help")) {
    std::cout << "usage: soundlens models [pull NAME] [options]\n\noptions:\n" << parameters_help(declared);
    return 0;
  }
  const auto model_dir = cmd.parameters.text("model-dir");
  if (cmd.positional.empty()) return list_models(model_search_path(model_dir));
  if (cmd.positional[0] == "pull" && cmd.positional.size() == 2) return pull_model(cmd.positional[1], model_dir);
  throw Error(ErrorCode::bad_request, "usage: soundlens models [pull NAME] [--model-dir DIR]");
}

}  // namespace soundlens
