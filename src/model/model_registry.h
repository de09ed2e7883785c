#pragma once
// Which models exist, where their files are looked for, and loading them.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/labels.h"
#include "model/model.h"

namespace soundlens {

// Model directories in lookup order: --model-dir, $SOUNDLENS_MODEL_DIR,
// ./models, ../shared/models (empty entries are skipped).
std::vector<std::string> model_search_path(const std::string& model_dir_flag);

struct ModelAvailability {
  ModelInfo info;
  std::vector<std::string> looked_in;  // full candidate paths, in order
  std::optional<std::string> found;    // the first that exists
};

std::vector<ModelInfo> known_models();  // mn04_as (default) first, then cnn14
std::string default_model_name();
// "balanced mAP 0.306 on the AudioSet evaluation set (published)": what the CLI and API show.
std::string published_map_text(const ModelInfo& info);
ModelAvailability find_model(const std::string& name, const std::vector<std::string>& search_path);

// The models made by soundlens train in the model folders (directories with a
// soundlens-model.json whose names are plain: letters, digits, '.', '_', '-'),
// first folder first; a name found twice is the first one's.
std::vector<std::string> trained_model_names(const std::vector<std::string>& search_path);
// A trained model's facts, read from its directory without loading its base network.
ModelInfo trained_model_facts(const std::string& name, const std::vector<std::string>& search_path);

// Throws Error(model_not_loaded) naming the file, where it was looked for and
// where to get it; Error(bad_request) for an unknown name.
std::shared_ptr<const Model> load_model(const std::string& name, const std::vector<std::string>& search_path);

// labels/class_labels_indices.csv from the first directory that has it.
std::shared_ptr<const Labels> load_labels(const std::vector<std::string>& search_path);

}  // namespace soundlens
