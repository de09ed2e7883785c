#include "model/model_registry.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "core/error.h"
#include "model/detail/checkpoint.h"
#include "model/detail/networks.h"

namespace soundlens {
namespace fs = std::filesystem;
namespace {

ModelInfo mn04_as() {
  ModelInfo m;
  m.name = "mn04_as";
  m.architecture = "EfficientAT MobileNetV3, width 0.4, MLP head";
  m.weights_file = "efficientat/mn04_as_mAP_432.pt";
  m.weights_url = "https://github.com/fschmid56/EfficientAT/releases/download/v0.0.1/mn04_as_mAP_432.pt";
  m.weights_bytes = 4066513;
  m.audioset_map = 0.432;
  m.cam_layer = "features.16";
  m.time_stride = 32;  // five stride-2 stages
  m.freq_stride = 32;
  m.min_frames = 1;
  // features.6 ends the third stride-2 stage (16 rows at 128 mels), .12 the fourth, .16 is the last conv block.
  m.explainable_layers = {{"features.6", 8, 8}, {"features.12", 16, 16}, {"features.16", 32, 32}};
  m.silence_floor = float((std::log(1e-5) + 4.5) / 5);  // the front end's log(0 + 1e-5), normalised
  return m;
}

ModelInfo cnn14() {
  ModelInfo m;
  m.name = "cnn14";
  m.architecture = "PANNs CNN14";
  m.weights_file = "panns/Cnn14_mAP=0.431.pth";
  m.weights_url = "https://zenodo.org/record/3987831/files/Cnn14_mAP%3D0.431.pth?download=1";
  m.weights_bytes = 327428481;
  m.weights_md5 = "541141fa2ee191a88f24a3219fff024e";  // as published with the Zenodo record
  m.audioset_map = 0.431;
  m.cam_layer = "conv_block6";
  m.time_stride = 32;  // five 2x2 average pools
  m.freq_stride = 32;
  m.min_frames = 32;
  // A block's output is after its 2x2 average pool (none after conv_block6).
  m.explainable_layers = {{"conv_block3", 8, 8}, {"conv_block4", 16, 16}, {"conv_block5", 32, 32},
                          {"conv_block6", 32, 32}};
  m.silence_floor = -100.f;  // 10*log10(1e-10), the front end's floor
  return m;
}

}  // namespace

std::vector<std::string> model_search_path(const std::string& model_dir_flag) {
  std::vector<std::string> path;
  if (!model_dir_flag.empty()) path.push_back(model_dir_flag);
  if (const char* env = std::getenv("SOUNDLENS_MODEL_DIR"); env != nullptr && *env != '\0') path.push_back(env);
  path.push_back("./models");
  path.push_back("../shared/models");
  return path;
}

std::vector<ModelInfo> known_models() { return {mn04_as(), cnn14()}; }
std::string default_model_name() { return "mn04_as"; }

ModelAvailability find_model(const std::string& name, const std::vector<std::string>& search_path) {
  ModelAvailability a;
  bool known = false;
  for (const auto& m : known_models())
    if (m.name == name) a.info = m, known = true;
  if (!known) {
    std::string names;
    for (const auto& m : known_models()) names += (names.empty() ? "" : ", ") + m.name;
    throw Error(ErrorCode::bad_request, "unknown model '" + name + "' (known: " + names + ")");
  }
  const std::string file_name = fs::path(a.info.weights_file).filename().string();
  for (const auto& dir : search_path) {
    for (const auto& candidate : {fs::path(dir) / a.info.weights_file, fs::path(dir) / file_name}) {
      const auto shown = candidate.lexically_normal().string();
      if (std::find(a.looked_in.begin(), a.looked_in.end(), shown) != a.looked_in.end()) continue;
      a.looked_in.push_back(shown);
      std::error_code ec;
      if (!a.found && fs::is_regular_file(candidate, ec)) a.found = shown;
    }
  }
  return a;
}

std::shared_ptr<const Model> load_model(const std::string& name, const std::vector<std::string>& search_path) {
  const auto a = find_model(name, search_path);
  if (!a.found) {
    std::string where;
    for (const auto& p : a.looked_in) where += "\n  " + p;
    throw Error(ErrorCode::model_not_loaded,
                "model '" + name + "' needs the file " + fs::path(a.info.weights_file).filename().string() +
                    ", which was not found. Looked in:" + where + "\nGet it from " + a.info.weights_url +
                    (name == "cnn14" ? " (or run: soundlens models pull cnn14)" : "") +
                    " and put it in one of those places, or pass --model-dir DIR.");
  }
  const auto dict = detail::read_checkpoint(*a.found);
  auto info = a.info;
  info.weights_file = *a.found;
  if (name == "cnn14") return detail::make_cnn14(info, dict);
  return detail::make_efficientat(info, dict);
}

std::shared_ptr<const Labels> load_labels(const std::vector<std::string>& search_path) {
  std::string where;
  for (const auto& dir : search_path) {
    const auto candidate = (fs::path(dir) / "labels" / "class_labels_indices.csv").lexically_normal();
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return std::make_shared<Labels>(Labels::load_csv(candidate.string()));
    where += "\n  " + candidate.string();
  }
  throw Error(ErrorCode::model_not_loaded, "the AudioSet class list labels/class_labels_indices.csv was not found. "
                                           "Looked in:" + where);
}

}  // namespace soundlens
