#include "service/model_set.h"

#include <iostream>

#include "analysis_events/fused_analysis.h"
#include "core/error.h"
#include "model/calibrated_model.h"
#include "model/calibration_file.h"
#include "model/model_registry.h"

namespace soundlens::service {

ModelSet::ModelSet(std::string default_name, std::vector<std::string> search_path)
    : default_name_(std::move(default_name)), search_path_(std::move(search_path)) {}

void ModelSet::set_default(std::shared_ptr<const Analyzer> analyzer) {
  std::shared_ptr<const Analyzer> plain;
  if (analyzer)
    if (auto base = uncalibrated_model(analyzer->model())) plain = std::make_shared<const Analyzer>(base, analyzer->shared_labels());
  std::lock_guard lock(mutex_);
  default_ = std::move(analyzer);
  default_plain_ = std::move(plain);
}

bool ModelSet::default_ready() const {
  std::lock_guard lock(mutex_);
  return default_ != nullptr;
}

bool ModelSet::loaded(const std::string& name) const {
  std::lock_guard lock(mutex_);
  if (is_fused_model(name)) {
    for (const auto& part : fused_model_parts())
      if (!(part == default_name_ ? default_ != nullptr : others_.count(part) > 0)) return false;
    return true;
  }
  if (name == default_name_) return default_ != nullptr;
  return others_.count(name) > 0;
}

// A request's model is a name from these lists, never a path (load_model would take a trained model's directory).
void ModelSet::check_known(const std::string& name) const {
  if (is_fused_model(name)) return;
  std::string known;
  for (const auto& info : known_models()) {
    if (info.name == name) return;
    known += (known.empty() ? "" : ", ") + info.name;
  }
  for (const auto& trained : trained_names()) {
    if (trained == name) return;
    known += ", " + trained;
  }
  known += ", " + std::string(kFusedModelName);
  throw Error(ErrorCode::bad_request, "unknown model " + quoted_value(name) + "; known models: " + known);
}

std::vector<std::string> ModelSet::trained_names() const { return trained_model_names(search_path_); }

std::shared_ptr<const Analyzer> ModelSet::part(const std::string& name) const {
  try {
    if (name == default_name_) {
      std::lock_guard lock(mutex_);
      if (default_plain_) return default_plain_;
    }
    return get(name);
  } catch (const Error& e) {
    throw Error(e.code(), "the fused model is made of " + fused_model_parts()[0] + " and " + fused_model_parts()[1] +
                              ": " + e.what());
  }
}

std::shared_ptr<const Analyzer> ModelSet::second_part(const std::string& name) const {
  if (!is_fused_model(name.empty() ? default_name_ : name)) return nullptr;
  (void)part(fused_model_parts()[0]);  // both or neither: the first one's error comes first
  return part(fused_model_parts()[1]);
}

std::shared_ptr<const Analyzer> ModelSet::get(const std::string& name) const {
  if (is_fused_model(name.empty() ? default_name_ : name)) {
    auto first = part(fused_model_parts()[0]);
    (void)part(fused_model_parts()[1]);
    return first;
  }
  if (name.empty() || name == default_name_) {
    std::lock_guard lock(mutex_);
    if (!default_) throw Error(ErrorCode::model_not_loaded, "model " + default_name_ + " is still loading");
    return default_;
  }
  {
    std::lock_guard lock(mutex_);  // a loaded model is known: no scan of the model folders per request
    if (auto it = others_.find(name); it != others_.end()) return it->second;
  }
  check_known(name);
  return load(name);
}

nlohmann::json ModelSet::calibration(const std::string& name) const {
  if (is_fused_model(name)) return nullptr;  // its parts run uncalibrated
  std::lock_guard lock(mutex_);
  const std::shared_ptr<const Analyzer>* analyzer = nullptr;
  if (name.empty() || name == default_name_)
    analyzer = &default_;
  else if (auto it = others_.find(name); it != others_.end())
    analyzer = &it->second;
  if (!analyzer || !*analyzer) return nullptr;
  const auto* summary = calibration_summary_of((*analyzer)->model());
  return summary ? *summary : nlohmann::json();
}

std::shared_ptr<const Analyzer> ModelSet::as_stored(const std::string& name, const nlohmann::json& calibration) const {
  auto current = get(name);
  if (is_fused_model(name.empty() ? default_name_ : name)) return current;  // get gives its plain first part
  const auto* now = calibration_summary_of(current->model());
  if (calibration.is_null()) {
    if (!now) return current;
    return std::make_shared<const Analyzer>(uncalibrated_model(current->model()), current->shared_labels());
  }
  if (now && *now == calibration) return current;
  const std::string key = (name.empty() ? default_name_ : name) + "\n" + calibration.dump();
  {
    std::lock_guard lock(mutex_);
    if (auto it = as_stored_.find(key); it != as_stored_.end()) return it->second;
  }
  // The analyzer's own model, kept alive by the analyzer (an aliasing pointer).
  auto plain = now ? uncalibrated_model(current->model()) : std::shared_ptr<const Model>(current, &current->model());
  auto model = calibrated_as_stored(plain, calibration, &current->labels());
  if (!model)
    throw Error(ErrorCode::model_not_loaded,
                "this analysis was made with the calibration " + quoted_value(calibration.value("file", std::string("?"))) +
                    ", which this server does not apply, and it was stored before analyses carried their calibration's "
                    "parameters: start the server with --calibration " + calibration.value("file", std::string("FILE")) +
                    " to recompute its maps and scores (they are never recomputed uncalibrated)");
  auto analyzer = std::make_shared<const Analyzer>(std::move(model), current->shared_labels());
  std::lock_guard lock(mutex_);
  if (as_stored_.size() >= 64) as_stored_.clear();  // a bound: each is a few tensors over a shared network
  return as_stored_.emplace(key, std::move(analyzer)).first->second;
}

std::shared_ptr<const Analyzer> ModelSet::load(const std::string& name) const {
  std::lock_guard loading(load_mutex_);
  {
    std::lock_guard lock(mutex_);  // another request may have loaded it while this one waited
    if (auto it = others_.find(name); it != others_.end()) return it->second;
  }
  const ModelAvailability availability = find_model(name, search_path_);
  if (!availability.found)
    throw Error(ErrorCode::bad_request, "model '" + name + "' is not available on this server: its weights file " +
                                            availability.info.weights_file +
                                            " is not in the server's model directories (get it from " +
                                            availability.info.weights_url + ")");
  std::shared_ptr<const Analyzer> analyzer;
  try {
    if (!labels_) labels_ = load_labels(search_path_);
    analyzer = std::make_shared<const Analyzer>(load_model(name, search_path_), labels_);
  } catch (const std::exception& e) {
    // The loader's message names server paths: the log gets it, the client the file's name.
    std::cerr << "soundlens: cannot load model " << name << ": " << e.what() << std::endl;
    throw Error(ErrorCode::model_not_loaded, "model '" + name + "' could not be loaded from its weights file " +
                                                 availability.info.weights_file + " (details in the server log)");
  }
  std::cerr << "{\"event\":\"model_loaded\",\"model\":\"" << name << "\"}" << std::endl;
  std::lock_guard lock(mutex_);
  others_[name] = analyzer;
  return analyzer;
}

}  // namespace soundlens::service
