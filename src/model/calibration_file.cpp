#include "model/calibration_file.h"

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace soundlens {
namespace {

constexpr const char* kFormat = "soundlens-calibration";

[[noreturn]] void bad_file(const std::string& path, const std::string& what) {
  throw Error(ErrorCode::bad_request, "the calibration " + path + " cannot be used: " + what);
}

}  // namespace

void write_calibration_file(const std::string& path, const CalibrationFile& f, bool overwrite) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !overwrite)
    throw Error(ErrorCode::bad_request, path + " exists; pass --force to replace it");
  nlohmann::json classes = nlohmann::json::array();
  for (std::size_t i = 0; i < f.classes.size(); ++i)
    classes.push_back({{"index", f.classes[i].index}, {"label", f.labels.at(i)}, {"a", f.classes[i].a}, {"b", f.classes[i].b}});
  const nlohmann::json j = {{"format", kFormat},  {"version", 1},           {"model", f.model},
                            {"weights_sha256", f.weights_sha256}, {"method", "platt"}, {"classes", classes},
                            {"fitted_on", f.fitted_on}, {"metrics", f.metrics}};
  std::ofstream out(path, std::ios::trunc);
  out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  if (!out) throw Error(ErrorCode::bad_request, "cannot write " + path);
}

CalibrationFile read_calibration_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) bad_file(path, "it cannot be read");
  try {
    const auto j = nlohmann::json::parse(in);
    if (j.value("format", "") != kFormat) bad_file(path, "it is not a soundlens calibration");
    if (j.at("version").get<int>() != 1) bad_file(path, "its version is not 1");
    if (j.at("method").get<std::string>() != "platt") bad_file(path, "its method is not platt");
    CalibrationFile f;
    f.model = j.at("model").get<std::string>();
    f.weights_sha256 = j.at("weights_sha256").get<std::string>();
    if (!j.at("classes").is_array() || j.at("classes").empty()) bad_file(path, "it calibrates no class");
    for (const auto& c : j.at("classes")) {
      f.classes.push_back({c.at("index").get<int>(), c.at("a").get<double>(), c.at("b").get<double>()});
      f.labels.push_back(c.at("label").get<std::string>());
    }
    f.fitted_on = j.value("fitted_on", nlohmann::json::object());
    f.metrics = j.value("metrics", nlohmann::json::object());
    return f;
  } catch (const nlohmann::json::exception& e) {
    bad_file(path, std::string("it is not what soundlens wrote: ") + e.what());
  }
}

void check_calibration_fits(const CalibrationFile& f, const std::string& path, const ModelInfo& info,
                            const Labels* labels) {
  if (f.model != info.name) bad_file(path, "it was fitted for " + f.model + ", not " + info.name);
  if (!info.weights_sha256.empty() && f.weights_sha256 != info.weights_sha256)
    bad_file(path, "it was fitted on other " + info.name + " weights (SHA-256 " + f.weights_sha256.substr(0, 12) +
                       "..., these are " + info.weights_sha256.substr(0, 12) + "...)");
  for (std::size_t i = 0; i < f.classes.size(); ++i) {
    const int index = f.classes[i].index;
    if (index < 0 || index >= info.num_classes)
      bad_file(path, "it names class " + std::to_string(index) + ", which " + info.name + " does not have");
    for (std::size_t k = 0; k < i; ++k)
      if (f.classes[k].index == index) bad_file(path, "it calibrates class " + std::to_string(index) + " twice");
    if (!(f.classes[i].a > 0) || !std::isfinite(f.classes[i].a) || !std::isfinite(f.classes[i].b))
      bad_file(path, "the calibration of " + quoted_value(f.labels[i]) +
                         " has a slope that is not positive or a value that is not finite");
    if (labels && index < labels->size() && labels->name(index) != f.labels[i])
      bad_file(path, "class " + std::to_string(index) + " is " + quoted_value(labels->name(index)) + " in " + info.name +
                         ", but the file calls it " + quoted_value(f.labels[i]) + " (was it edited?)");
  }
}

std::shared_ptr<const Model> calibrated(std::shared_ptr<const Model> model, const CalibrationFile& f,
                                        const std::string& path, const Labels* labels) {
  const auto& info = model->info();
  check_calibration_fits(f, path, info, labels);
  std::string what = "calibrated (" + std::to_string(f.classes.size()) + " classes, " +
                     std::filesystem::path(path).filename().string() + ")";
  return make_calibrated_model(std::move(model), f.classes, what, calibration_summary(f, path));
}

nlohmann::json calibration_summary(const CalibrationFile& f, const std::string& path) {
  nlohmann::json parameters = nlohmann::json::array();
  for (const auto& c : f.classes) parameters.push_back({{"index", c.index}, {"a", c.a}, {"b", c.b}});
  const auto field = [](const nlohmann::json& j, const char* key) { return j.is_object() && j.contains(key) ? j[key] : nlohmann::json(); };
  const auto folder = field(f.fitted_on, "folder");
  return {{"file", std::filesystem::path(path).filename().string()},
          {"method", "platt"},
          {"classes", f.labels},
          {"fitted_on", folder.is_string() ? folder : nlohmann::json("")},
          {"files", field(f.fitted_on, "files").size()},
          {"ece_before", field(f.metrics, "ece_before")},
          {"ece_after", field(f.metrics, "ece_after")},
          {"model", f.model},
          {"weights_sha256", f.weights_sha256},
          {"parameters", parameters}};
}

std::optional<CalibrationFile> calibration_of_summary(const nlohmann::json& summary) {
  const auto parameters = summary.find("parameters");
  if (parameters == summary.end() || !parameters->is_array()) return std::nullopt;
  const std::string name = summary.value("file", std::string("the stored calibration"));
  try {
    CalibrationFile f;
    f.model = summary.at("model").get<std::string>();
    f.weights_sha256 = summary.at("weights_sha256").get<std::string>();
    f.labels = summary.at("classes").get<std::vector<std::string>>();
    for (const auto& c : *parameters) f.classes.push_back({c.at("index").get<int>(), c.at("a").get<double>(), c.at("b").get<double>()});
    if (f.classes.empty() || f.classes.size() != f.labels.size()) bad_file(name, "its classes and parameters do not match");
    f.fitted_on = {{"folder", summary.value("fitted_on", std::string())}};
    return f;
  } catch (const nlohmann::json::exception& e) {
    bad_file(name, std::string("the stored calibration is not what soundlens wrote: ") + e.what());
  }
}

std::shared_ptr<const Model> calibrated_as_stored(std::shared_ptr<const Model> model, const nlohmann::json& summary,
                                                  const Labels* labels) {
  const auto f = calibration_of_summary(summary);
  if (!f) return nullptr;
  const std::string name = summary.value("file", std::string("the stored calibration"));
  check_calibration_fits(*f, name, model->info(), labels);
  return make_calibrated_model(std::move(model), f->classes,
                               "calibrated (" + std::to_string(f->classes.size()) + " classes, " + name + ")", summary);
}

}  // namespace soundlens
