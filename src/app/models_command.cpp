// soundlens models [--model-dir DIR] [--verify]  list models, their facts, and where they were looked for
// soundlens models pull NAME [--model-dir DIR]  download an official checkpoint
#include <filesystem>
#include <iostream>

#include "app/commands.h"
#include "core/error.h"
#include "core/parameters.h"
#include "model/download/download.h"
#include "model/file_sha256.h"
#include "model/model_registry.h"
#include "service/fused_model.h"

namespace soundlens {
namespace {

std::vector<Parameter> models_parameters() {
  return {{"model-dir", "directory searched first for model files (pull writes there; default ./models)", "",
           Parameter::Kind::text, 0, 0, {}},
          {"verify", "also hash weights files over 64 MB (CNN14: about a second)", "", Parameter::Kind::flag, 0, 0, {}},
          {"help", "show this help", "", Parameter::Kind::flag, 0, 0, {}}};
}

// The weights file's own SHA-256 against the declared one; hashing costs ~2 ms per MB, so CNN14's 327 MB is
// only hashed when asked (--verify).
std::string sha256_check(const ModelInfo& info, const std::string& found, bool verify) {
  std::error_code ec;
  if (!verify && std::filesystem::file_size(found, ec) > (std::uintmax_t(64) << 20)) return "not hashed (--verify)";
  const auto actual = file_sha256(found);
  if (info.weights_sha256.empty()) return "file's own: " + actual;
  return actual == info.weights_sha256 ? "matches" : "DIFFERS: the file has " + actual;
}

int list_models(const std::vector<std::string>& search, bool verify) {
  for (const auto& info : known_models()) {
    const auto a = find_model(info.name, search);
    std::cout << info.name << (info.name == default_model_name() ? " (default)" : "") << "\n"
              << "  architecture: " << info.architecture << "\n"
              << "  classes:      " << info.network_classes << " (" << info.classes << ")\n"
              << "  front end:    " << info.front_end << "\n"
              << "  weights:      " << info.weights_file << "\n"
              << "  sha256:       " << (info.weights_sha256.empty() ? "not published" : info.weights_sha256) << "\n";
    if (!info.weights_md5.empty()) std::cout << "  md5:          " << info.weights_md5 << "\n";
    std::cout << "  AudioSet:     " << published_map_text(info) << "\n"
              << "  license:      " << info.license << "\n"
              << "  source:       " << info.source << "\n"
              << "  get it from:  " << info.weights_url << "\n"
              << "  " << (a.found ? "found: " + *a.found + " (sha256 " + sha256_check(info, *a.found, verify) + ")"
                                  : std::string("NOT FOUND"))
              << "\n  looked in:\n";
    for (const auto& p : a.looked_in) std::cout << "    " << p << "\n";
  }
  const nlohmann::json fused = service::fused_model_facts_json(search, false, default_model_name());
  std::cout << fused["name"].get<std::string>() << "\n"
            << "  architecture: " << fused["architecture"].get<std::string>() << "\n"
            << "  classes:      " << fused["classes"].get<std::string>() << "\n"
            << "  weights:      " << fused["weights_file"].get<std::string>() << " (each listed above)\n"
            << "  AudioSet:     " << fused["published_map"]["text"].get<std::string>() << "\n"
            << "  " << (fused["available"].get<bool>() ? "available: both parts found" : "NOT AVAILABLE: a part is missing (above)")
            << "\n";
  for (const auto& name : trained_model_names(search)) {
    try {
      const auto info = trained_model_facts(name, search);
      std::cout << name << " (trained)\n"
                << "  architecture: " << info.architecture << "\n"
                << "  classes:      " << info.classes << "\n"
                << "  held out:     " << published_map_text(info) << "\n"
                << "  found:        " << *find_model(name, search).found << "\n";
    } catch (const Error& e) {
      std::cout << name << " (trained): cannot be used: " << e.what() << "\n";
    }
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
  if (cmd.positional.empty()) return list_models(model_search_path(model_dir), cmd.parameters.flag("verify"));
  if (cmd.positional[0] == "pull" && cmd.positional.size() == 2) return pull_model(cmd.positional[1], model_dir);
  throw Error(ErrorCode::bad_request, "usage: soundlens models [pull NAME] [--model-dir DIR]");
}

}  // namespace soundlens
