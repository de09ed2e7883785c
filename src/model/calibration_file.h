#pragma once
// A per-class calibration of an AudioSet model (what `soundlens calibrate`
// writes and --calibration reads): one JSON file naming the model and its
// weights' SHA-256, each class's Platt parameters, and what they were fitted
// on and how well they do on held-out files.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/calibrated_model.h"
#include "model/labels.h"
#include "model/model.h"

namespace soundlens {

struct CalibrationFile {
  std::string model, weights_sha256;
  std::vector<ClassCalibration> classes;
  std::vector<std::string> labels;  // per class, as the model names it
  nlohmann::json fitted_on;         // the folder, its files and their SHA-256, the date
  nlohmann::json metrics;           // held-out ECE before and after, per class figures
};

// Error(bad_request) when `path` exists and overwrite is false, or cannot be written.
void write_calibration_file(const std::string& path, const CalibrationFile& file, bool overwrite);
// Error(bad_request) naming the file and what is wrong.
CalibrationFile read_calibration_file(const std::string& path);

// Error(bad_request) naming `path` and the reason when the file is for another model or other weights
// (info: a loaded model's, or find_model's, whose weights_sha256 is the file found), or, given the
// model's labels, when a class's label is not the model's name of its index (an edited file).
void check_calibration_fits(const CalibrationFile& file, const std::string& path, const ModelInfo& info,
                            const Labels* labels = nullptr);

// `model` with the calibration read from `path`, checked as above; its analyses report calibration_summary.
std::shared_ptr<const Model> calibrated(std::shared_ptr<const Model> model, const CalibrationFile& file,
                                        const std::string& path, const Labels* labels = nullptr);

// What an analysis made with it reports: the file, the classes, what they were fitted on, and the model,
// its weights' SHA-256 and each class's parameters, so that the stored analysis can be recomputed with the
// same calibration by a server that was started without the file.
nlohmann::json calibration_summary(const CalibrationFile& file, const std::string& path);

// The calibration a summary carries; nullopt for one stored before summaries had their parameters.
// Error(bad_request) for one that has them but is damaged.
std::optional<CalibrationFile> calibration_of_summary(const nlohmann::json& summary);
// `model` calibrated as the summary says (checked as check_calibration_fits; the summary is what its
// analyses report); nullptr when the summary has no parameters.
std::shared_ptr<const Model> calibrated_as_stored(std::shared_ptr<const Model> model, const nlohmann::json& summary,
                                                  const Labels* labels = nullptr);

}  // namespace soundlens
