#pragma once
// A trained model's directory (what `soundlens train --out MODEL` writes and
// --model MODEL reads): everything needed to use, reproduce and audit it.
//   soundlens-model.json  name, base model (name, weights SHA-256), labels,
//                         head (kind, sizes, calibration, head.bin's SHA-256),
//                         the training (files with their SHA-256, options) and its metrics
//   head.bin              float32 little-endian: mean, scale, then each layer's weight and bias
//   labels.csv            index,label: the classes, readable and diffable
//   thresholds.csv        index,label,threshold,low,train_f1: each class's event thresholds, fitted on the
//                         held-out folds (trained_thresholds.h); its SHA-256 in the manifest
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/trained_head.h"

namespace soundlens {

inline constexpr const char* kTrainedModelManifest = "soundlens-model.json";

struct TrainedModelFiles {
  std::string name;             // the directory's name
  std::string base_model;       // mn04_as, yamnet, cnn14
  std::string base_sha256;      // of the base's weights file the head was trained on
  std::vector<std::string> labels;
  TrainedHead head;
  std::string head_sha256;      // of head.bin, as checked when read
  nlohmann::json calibration;   // method, parameters, ECE before and after
  nlohmann::json training;      // files, options, date, version
  nlohmann::json metrics;       // cross-validated, per class
  std::vector<EventThreshold> event_thresholds;  // per class; empty: none written (the default thresholds)
  std::string event_thresholds_fitted_on;        // how, in one line (thresholds.csv's comment)
};

// Writes the directory (created; Error(bad_request) if it exists and is not
// empty, unless overwrite).
void write_trained_model(const std::string& dir, const TrainedModelFiles& model, bool overwrite);

// Reads and checks it: head.bin's and thresholds.csv's SHA-256 and head.bin's size against the manifest.
// Error(model_not_loaded) naming the file and what is wrong.
TrainedModelFiles read_trained_model(const std::string& dir);

// The directory a --model value names: a trained model's directory as given
// (a path, or a name relative to the working directory), or a directory of
// that name in one of the model folders; nullopt otherwise. Command-line
// only: the service names models from its own list (service/model_set.h).
std::optional<std::string> find_trained_model(const std::string& name, const std::vector<std::string>& search_path);

}  // namespace soundlens
