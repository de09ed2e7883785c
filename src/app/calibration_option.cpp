#include "app/calibration_option.h"

#include "analysis_events/fused_analysis.h"
#include "core/error.h"
#include "model/model_registry.h"

namespace soundlens {

Parameter calibration_parameter() {
  return {"calibration",
          "recalibrate the model's classes with this file (made by soundlens calibrate); analyses say so, with the "
          "data it was fitted on",
          "", Parameter::Kind::text, 0, 0, {}};
}

std::optional<CalibrationFile> served_calibration(const std::string& path, const std::string& model_name,
                                                  const std::vector<std::string>& search_path, const Labels& labels) {
  if (path.empty()) return std::nullopt;
  if (is_fused_model(model_name))
    throw Error(ErrorCode::bad_request, "--calibration recalibrates one model's classes; the fused model is two "
                                        "(calibrate and use mn04_as or yamnet on its own)");
  auto file = read_calibration_file(path);
  const auto found = find_model(model_name, search_path);  // its weights_sha256 is the file found
  check_calibration_fits(file, path, found.info, &labels);
  return file;
}

}  // namespace soundlens
