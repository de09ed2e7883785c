#include "model/model_registry.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/error.h"
#include "model/detail/checkpoint.h"
#include "model/detail/networks.h"
#include "model/detail/heap_reuse.h"
#include "model/detail/yamnet.h"
#include "model/file_sha256.h"
#include "model/trained_model.h"
#include "model/trained_model_files.h"

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
  m.embedding_size = 384;  // the last block's channels: 960 x width 0.4
  m.event_pool_columns = 10;  // 3.2 s: chosen by cross-validation on mixtures (docs/events-measured.md)
  m.event_onset_fraction = 0.35;  // chosen on the mixtures by tools/events/calibrate.py
  // features.6 ends the third stride-2 stage (16 rows at 128 mels), .12 the fourth, .16 is the last conv block.
  m.explainable_layers = {{"features.6", 8, 8}, {"features.12", 16, 16}, {"features.16", 32, 32}};
  m.silence_floor = float((std::log(1e-5) + 4.5) / 5);  // the front end's log(0 + 1e-5), normalised
  m.classes = "527 AudioSet classes";
  m.front_end = "32 kHz, 128 Kaldi mel bins, EfficientAT front end";
  m.map_metric = "mAP";
  m.weights_sha256 = "899a8c6217063f6941793102a2780b3dd788ab11fce468d9cf5f0577c453321c";
  m.license = "MIT";
  m.source = "Schmid, Koutini, Widmer: EfficientAT (fschmid56/EfficientAT, release v0.0.1)";
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
  m.embedding_size = 2048;
  m.event_pool_columns = 10;  // 3.2 s, as mn04_as (same column length); not measured for cnn14
  m.event_onset_fraction = 0.35;
  // A block's output is after its 2x2 average pool (none after conv_block6).
  m.explainable_layers = {{"conv_block3", 8, 8}, {"conv_block4", 16, 16}, {"conv_block5", 32, 32},
                          {"conv_block6", 32, 32}};
  m.silence_floor = -100.f;  // 10*log10(1e-10), the front end's floor
  m.classes = "527 AudioSet classes";
  m.front_end = "32 kHz, 64 Slaney mel bins 50-14000 Hz, PANNs front end";
  m.map_metric = "mAP";
  m.license = "CC BY 4.0 (Zenodo record 3987831)";
  m.source = "Kong et al.: PANNs (qiuqiangkong/audioset_tagging_cnn, Zenodo record 3987831)";
  return m;
}

ModelInfo yamnet() {
  ModelInfo m;
  m.name = "yamnet";
  m.architecture = "YAMNet: MobileNetV1 (14 layers) on 0.96 s patches, read from TFLite, int8 weights dequantised";
  m.weights_file = "yamnet/yamnet.tflite";
  // Google's TF Hub file has a fixed 15600-sample input and another graph; this export takes any length.
  m.weights_url = "https://github.com/CherryPockyOvO/Pokonyan (model/yamnet.tflite), with yamnet_class_map.csv "
                  "from tensorflow/models research/audioset/yamnet beside it";
  m.weights_bytes = 3963312;
  m.audioset_map = 0.306;
  m.map_metric = "balanced mAP";
  m.cam_layer = "layer14";
  m.time_stride = 32;  // 96 frames -> 3 time cells
  m.freq_stride = 32;  // 64 bands -> 2 frequency cells
  m.min_frames = 96;
  m.embedding_size = 1024;
  // layer6 ends the third stride-2 stage (8 rows x 12 columns per patch), layer12 the fourth, layer14 is the last block.
  m.explainable_layers = {{"layer6", 8, 8}, {"layer12", 16, 16}, {"layer14", 32, 32}};
  m.silence_floor = float(std::log(0.001));  // log(0 + 0.001)
  m.classes = "521 of the 527 AudioSet classes (matched by mid; 6 absent)";
  m.network_classes = 521;
  m.front_end = "16 kHz (decimated from 32 kHz), 64 HTK mel bands 125-7500 Hz, 25 ms window, 10 ms hop, "
                "log(mel + 0.001), patches of 0.96 s every 0.48 s";
  m.weights_sha256 = "2d5e1e0577beb1fd3b6ba4cf89a7b8813340added8dae72f64fe8cd18731dd4a";
  m.license = "Apache-2.0";
  m.source = "Google: YAMNet (tensorflow/models, research/audioset/yamnet)";
  m.window_s = 0.975;  // 15600 samples at 16 kHz: exactly one 96-frame patch
  m.hop_s = 0.48;
  return m;
}

bool is_known(const std::string& name) {
  for (const auto& m : known_models())
    if (m.name == name) return true;
  return false;
}

ModelInfo trained_info(const TrainedModelFiles& files, const ModelInfo& base, const std::string& dir) {
  ModelInfo info = base;
  // The name is the directory's: what --model and a request name it by, whatever it was called when trained.
  auto folder = std::filesystem::path(dir).lexically_normal();
  if (folder.filename().empty()) folder = folder.parent_path();
  info.name = folder.filename().string();
  info.architecture = base.name + " with a trained " + files.head.kind() + " head";
  info.weights_file = info.name + "/head.bin";  // as in a model folder
  info.weights_url.clear();
  info.weights_bytes = 0;
  info.weights_md5.clear();
  info.audioset_map = 0;
  info.map_metric = "cross-validated macro F1";
  info.map_dataset = "held-out folds of its training folder";
  if (files.metrics.contains("macro_f1") && files.metrics["macro_f1"].is_number())
    info.audioset_map = files.metrics["macro_f1"].get<double>();
  std::string names;
  for (const auto& l : files.labels) names += (names.empty() ? "" : ", ") + l;
  info.classes = std::to_string(files.labels.size()) + " trained classes: " + names;
  info.class_names = files.labels;
  info.missing_classes.clear();
  info.weights_sha256 = files.head_sha256;
  info.license = "the training data's";
  info.source = "soundlens train, on " + base.name + "'s embeddings";
  return info;
}

std::shared_ptr<const Model> load_trained_model(const std::string& dir, const std::vector<std::string>& search_path) {
  auto files = read_trained_model(dir);
  if (!is_known(files.base_model))
    throw Error(ErrorCode::model_not_loaded, "the trained model " + dir + " names the base model '" + files.base_model +
                                                 "', which soundlens does not have");
  auto base = load_model(files.base_model, search_path);
  if (!base->info().weights_sha256.empty() && base->info().weights_sha256 != files.base_sha256)
    throw Error(ErrorCode::model_not_loaded,
                "the trained model " + dir + " was made for other " + files.base_model + " weights (SHA-256 " +
                    files.base_sha256.substr(0, 12) + "…, this machine's: " + base->info().weights_sha256.substr(0, 12) +
                    "…); train it again on these");
  auto info = trained_info(files, base->info(), dir);
  return make_trained_model(std::move(base), std::move(files.head), std::move(info), std::move(files.event_thresholds));
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

std::string published_map_text(const ModelInfo& info) {
  std::ostringstream s;
  s << info.map_metric << " " << info.audioset_map << " on the " << info.map_dataset
    << (info.class_names.empty() ? " (published)" : " (measured by soundlens train)");
  return s.str();
}

std::vector<ModelInfo> known_models() { return {mn04_as(), cnn14(), yamnet()}; }
std::string default_model_name() { return "mn04_as"; }

ModelAvailability find_model(const std::string& name, const std::vector<std::string>& search_path) {
  ModelAvailability a;
  if (!is_known(name)) {
    if (const auto dir = find_trained_model(name, search_path)) {
      a.info.name = name;
      a.info.weights_file = name + "/head.bin";  // as in a model folder: messages never name a server path
      a.looked_in = {*dir};
      a.found = *dir;
      return a;
    }
  }
  bool known = false;
  for (const auto& m : known_models())
    if (m.name == name) a.info = m, known = true;
  if (!known) {
    std::string names;
    for (const auto& m : known_models()) names += (names.empty() ? "" : ", ") + m.name;
    throw Error(ErrorCode::bad_request, "unknown model '" + name + "' (known: " + names +
                                            "; or the directory of a model made by soundlens train)");
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
  if (!is_known(name))
    if (const auto dir = find_trained_model(name, search_path)) return load_trained_model(*dir, search_path);
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
  detail::keep_freed_memory_for_reuse();
  auto info = a.info;
  info.weights_file = *a.found;
  // Hashing costs ~2 ms per MB: done at load for the small files, left to `soundlens models` for CNN14's 327 MB.
  std::error_code size_error;
  if (fs::file_size(*a.found, size_error) <= (std::uintmax_t(64) << 20)) info.weights_sha256 = file_sha256(*a.found);
  if (name == "yamnet") {
    const auto class_map = (fs::path(*a.found).parent_path() / "yamnet_class_map.csv").string();
    std::error_code ec;
    if (!fs::is_regular_file(class_map, ec))
      throw Error(ErrorCode::model_not_loaded, "model 'yamnet' needs its class list " + class_map +
                                                   " beside the TFLite file (index,mid,display_name)");
    return detail::make_yamnet(info, *a.found, *load_labels(search_path), Labels::load_csv(class_map));
  }
  const auto dict = detail::read_checkpoint(*a.found);
  if (name == "cnn14") return detail::make_cnn14(info, dict);
  return detail::make_efficientat(info, dict);
}

std::vector<std::string> trained_model_names(const std::vector<std::string>& search_path) {
  std::vector<std::string> names;
  for (const auto& dir : search_path) {
    std::error_code ec;
    std::vector<std::string> here;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const auto name = entry.path().filename().string();
      const bool plain = !name.empty() && name[0] != '.' &&
                         name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
                             std::string::npos;
      if (plain && !is_known(name) && fs::is_regular_file(entry.path() / kTrainedModelManifest, ec)) here.push_back(name);
    }
    std::sort(here.begin(), here.end());
    for (auto& n : here)
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(std::move(n));
  }
  return names;
}

ModelInfo trained_model_facts(const std::string& name, const std::vector<std::string>& search_path) {
  const auto dir = find_trained_model(name, search_path);
  if (!dir) throw Error(ErrorCode::bad_request, "no trained model '" + name + "' in the model folders");
  const auto files = read_trained_model(*dir);
  for (const auto& base : known_models())
    if (base.name == files.base_model) return trained_info(files, base, *dir);
  throw Error(ErrorCode::model_not_loaded, "the trained model " + *dir + " names an unknown base model");
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
