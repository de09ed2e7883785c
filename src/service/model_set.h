#pragma once
// The models a server runs: the default one (`serve --model`, loaded at start
// by the caller) and any other registered model, loaded on first use and kept.
// Each model is loaded at most once, even when requests for it race. The
// `fused` model (analysis_events/fused_analysis.h) is its parts, mn04_as and
// yamnet, each loaded as itself.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"

namespace soundlens {
class Labels;
}

namespace soundlens::service {

class ModelSet {
 public:
  ModelSet(std::string default_name, std::vector<std::string> search_path);

  const std::string& default_name() const { return default_name_; }
  // A calibrated default (serve --calibration) is used calibrated on its own and in comparisons; as a
  // part of the fused model it runs uncalibrated (the fusion's thresholds are the plain models').
  void set_default(std::shared_ptr<const Analyzer> analyzer);
  bool default_ready() const;

  // The analyzer of `name` ("" = the default). The default: Error(model_not_loaded)
  // until set_default. Another model is loaded now if it is not yet; unknown
  // names are Error(bad_request) listing the known ones; a model whose weights
  // are not here is Error(bad_request) naming the model and its file (never a
  // server path); one that fails to load is Error(model_not_loaded).
  // `fused`: both parts are loaded (an error names the part that failed) and
  // this is its first part, whose analyzer recomputes a stored fused analysis'
  // spectrogram, figures and (by default) maps; second_part gives the other.
  std::shared_ptr<const Analyzer> get(const std::string& name) const;
  // The second part of `name` ("" = the default) when it is the fused model (loaded as get loads it), else null.
  std::shared_ptr<const Analyzer> second_part(const std::string& name) const;
  // Error(bad_request) unless `name` is a built-in model or one made by
  // soundlens train in the server's model folders (by its plain name: never a path).
  void check_known(const std::string& name) const;
  // The trained models the server offers (trained_model_names of its model folders).
  std::vector<std::string> trained_names() const;
  bool loaded(const std::string& name) const;
  // The calibration every analysis with `name` applies (serve --calibration: the default's), as its
  // analyses report it; null for a model served uncalibrated (and for one not loaded yet: only the
  // default, loaded at start, is ever calibrated).
  nlohmann::json calibration(const std::string& name) const;
  // The analyzer that recomputes a stored analysis of `name` (maps, figures, the report) as it was made:
  // `calibration` is what the analysis reported (null: made uncalibrated). Uncalibrated: the plain model,
  // even on a calibrated server. Calibrated: the server's own when it is the same calibration, else one
  // made from the parameters the analysis carries (checked against the model and its weights); an analysis
  // stored before analyses carried them, on a server without its calibration, is Error(model_not_loaded)
  // naming the file: its scores are never recomputed uncalibrated under a calibrated analysis.
  std::shared_ptr<const Analyzer> as_stored(const std::string& name, const nlohmann::json& calibration) const;

 private:
  std::shared_ptr<const Analyzer> load(const std::string& name) const;
  std::shared_ptr<const Analyzer> part(const std::string& name) const;  // a part of the fused model, its errors named

  std::string default_name_;
  std::vector<std::string> search_path_;
  mutable std::mutex mutex_;       // guards the maps below (held briefly)
  mutable std::mutex load_mutex_;  // one load at a time: nothing is loaded twice
  std::shared_ptr<const Analyzer> default_;
  std::shared_ptr<const Analyzer> default_plain_;  // the calibrated default's uncalibrated model, else null
  mutable std::map<std::string, std::shared_ptr<const Analyzer>> others_;
  mutable std::shared_ptr<const Labels> labels_;
  // Analyzers made from stored analyses' calibrations (as_stored), by model name and calibration JSON.
  mutable std::map<std::string, std::shared_ptr<const Analyzer>> as_stored_;
};

}  // namespace soundlens::service
