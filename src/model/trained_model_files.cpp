#include "model/trained_model_files.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/error.h"
#include "model/file_sha256.h"
#include "model/trained_thresholds.h"

namespace soundlens {
namespace fs = std::filesystem;
namespace {

constexpr const char* kHeadFile = "head.bin";
constexpr const char* kFormat = "soundlens-trained-model";

[[noreturn]] void bad_model(const std::string& dir, const std::string& what) {
  throw Error(ErrorCode::model_not_loaded, "the trained model " + dir + " cannot be used: " + what);
}

void append(std::vector<float>& out, const std::vector<float>& values) { out.insert(out.end(), values.begin(), values.end()); }

std::vector<float> head_values(const TrainedHead& h) {
  std::vector<float> v;
  append(v, h.mean);
  append(v, h.scale);
  for (const auto& l : h.layers) {
    append(v, l.weight);
    append(v, l.bias);
  }
  return v;
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  out.close();
  if (!out) throw Error(ErrorCode::internal, "could not write " + path.string());
}

std::string label_csv(const std::vector<std::string>& labels) {
  std::ostringstream s;
  s << "index,label\n";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const bool quote = labels[i].find_first_of(",\"\n") != std::string::npos;
    std::string text = labels[i];
    if (quote) {
      std::string q = "\"";
      for (char c : text) q += c == '"' ? std::string("\"\"") : std::string(1, c);
      text = q + "\"";
    }
    s << i << ',' << text << '\n';
  }
  return s.str();
}

}  // namespace

void write_trained_model(const std::string& dir, const TrainedModelFiles& m, bool overwrite) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) throw Error(ErrorCode::bad_request, dir + " exists and is not a directory");
    if (!fs::is_empty(dir, ec) && !overwrite)
      throw Error(ErrorCode::bad_request, dir + " exists and is not empty; pass --force to replace the model in it");
  }
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::bad_request, "could not create " + dir + ": " + ec.message());
  const auto values = head_values(m.head);
  std::string bytes(values.size() * sizeof(float), '\0');
  std::memcpy(bytes.data(), values.data(), bytes.size());  // little-endian hosts only (x86-64, arm64)
  write_file(fs::path(dir) / kHeadFile, bytes);
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : m.head.layers) layers.push_back({{"inputs", l.inputs}, {"outputs", l.outputs}});
  nlohmann::json manifest = {
      {"format", kFormat},
      {"version", 1},
      {"name", m.name},
      {"base_model", {{"name", m.base_model}, {"weights_sha256", m.base_sha256}}},
      {"labels", m.labels},
      {"head",
       {{"file", kHeadFile},
        {"sha256", file_sha256((fs::path(dir) / kHeadFile).string())},
        {"values", values.size()},
        {"kind", m.head.kind()},
        {"inputs", m.head.inputs()},
        {"layers", layers},
        {"multi_label", m.head.multi_label},
        {"negative_class", m.head.negative_class},
        {"temperature", m.head.temperature},
        {"platt_a", m.head.platt_a},
        {"platt_b", m.head.platt_b}}},
      {"calibration", m.calibration},
      {"training", m.training},
      {"metrics", m.metrics},
  };
  if (!m.event_thresholds.empty()) {
    const auto path = fs::path(dir) / kTrainedThresholdsFile;
    write_file(path, thresholds_csv(m.name, m.labels, m.event_thresholds, m.event_thresholds_fitted_on));
    manifest["event_thresholds"] = {{"file", kTrainedThresholdsFile},
                                    {"sha256", file_sha256(path.string())},
                                    {"fitted_on", m.event_thresholds_fitted_on}};
  } else {
    fs::remove(fs::path(dir) / kTrainedThresholdsFile, ec);  // --force over a model that had them
  }
  write_file(fs::path(dir) / "labels.csv", label_csv(m.labels));
  // A file name that is not UTF-8 is kept as U+FFFD in the record (its SHA-256 names it).
  write_file(fs::path(dir) / kTrainedModelManifest,
             manifest.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

TrainedModelFiles read_trained_model(const std::string& dir) {
  const auto manifest_path = fs::path(dir) / kTrainedModelManifest;
  std::ifstream in(manifest_path);
  if (!in) bad_model(dir, "it has no " + std::string(kTrainedModelManifest));
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
    if (j.value("format", "") != kFormat) bad_model(dir, std::string(kTrainedModelManifest) + " is not a soundlens trained model");
    if (j.at("version").get<int>() != 1) bad_model(dir, "its format version " + j.at("version").dump() + " is not 1");
    TrainedModelFiles m;
    m.name = j.at("name").get<std::string>();
    m.base_model = j.at("base_model").at("name").get<std::string>();
    m.base_sha256 = j.at("base_model").at("weights_sha256").get<std::string>();
    m.labels = j.at("labels").get<std::vector<std::string>>();
    m.calibration = j.value("calibration", nlohmann::json::object());
    m.training = j.value("training", nlohmann::json::object());
    m.metrics = j.value("metrics", nlohmann::json::object());
    const auto& h = j.at("head");
    const auto head_path = fs::path(dir) / h.at("file").get<std::string>();
    if (h.at("file").get<std::string>() != kHeadFile) bad_model(dir, "the head must be " + std::string(kHeadFile));
    std::error_code ec;
    if (!fs::is_regular_file(head_path, ec)) bad_model(dir, "its head " + head_path.string() + " is missing");
    m.head_sha256 = file_sha256(head_path.string());
    if (m.head_sha256 != h.at("sha256").get<std::string>())
      bad_model(dir, head_path.string() + " does not match the SHA-256 in " + kTrainedModelManifest +
                         " (changed after training)");
    auto& head = m.head;
    head.multi_label = h.at("multi_label").get<bool>();
    head.negative_class = h.at("negative_class").get<bool>();
    head.temperature = h.at("temperature").get<double>();
    head.platt_a = h.at("platt_a").get<std::vector<float>>();
    head.platt_b = h.at("platt_b").get<std::vector<float>>();
    const int inputs = h.at("inputs").get<int>();
    std::size_t expected = 2 * std::size_t(inputs);
    for (const auto& l : h.at("layers")) {
      DenseLayer layer;
      layer.inputs = l.at("inputs").get<int>();
      layer.outputs = l.at("outputs").get<int>();
      if (layer.inputs < 1 || layer.outputs < 1 || layer.inputs > 1 << 16 || layer.outputs > 1 << 16)
        bad_model(dir, "a layer of its head has an impossible size");
      expected += std::size_t(layer.inputs) * std::size_t(layer.outputs) + std::size_t(layer.outputs);
      head.layers.push_back(std::move(layer));
    }
    if (head.layers.empty() || head.layers.size() > 2 || head.layers.front().inputs != inputs)
      bad_model(dir, "its head's layers do not chain");
    for (std::size_t l = 1; l < head.layers.size(); ++l)
      if (head.layers[l].inputs != head.layers[l - 1].outputs) bad_model(dir, "its head's layers do not chain");
    if (fs::file_size(head_path) != expected * sizeof(float))
      bad_model(dir, head_path.string() + " has " + std::to_string(fs::file_size(head_path)) + " bytes; its layers need " +
                         std::to_string(expected * sizeof(float)));
    std::vector<float> values(expected);
    std::ifstream hin(head_path, std::ios::binary);
    hin.read(reinterpret_cast<char*>(values.data()), std::streamsize(expected * sizeof(float)));
    if (!hin) bad_model(dir, "could not read " + head_path.string());
    std::size_t at = 0;
    auto take = [&](std::size_t n) {
      std::vector<float> v(values.begin() + std::ptrdiff_t(at), values.begin() + std::ptrdiff_t(at + n));
      at += n;
      return v;
    };
    head.mean = take(std::size_t(inputs));
    head.scale = take(std::size_t(inputs));
    for (auto& l : head.layers) {
      l.weight = take(std::size_t(l.inputs) * std::size_t(l.outputs));
      l.bias = take(std::size_t(l.outputs));
    }
    if (int(m.labels.size()) != head.classes())
      bad_model(dir, "it names " + std::to_string(m.labels.size()) + " labels for a head of " +
                         std::to_string(head.classes()) + " classes");
    if (head.multi_label && !head.platt_a.empty() &&
        (int(head.platt_a.size()) != head.classes() || int(head.platt_b.size()) != head.classes()))
      bad_model(dir, "its calibration does not have one value per class");
    if (!(head.temperature > 0) || !std::isfinite(head.temperature)) bad_model(dir, "its temperature is not positive and finite");
    for (const auto& v : {head.platt_a, head.platt_b})
      for (float x : v)
        if (!std::isfinite(x)) bad_model(dir, "its calibration has a value that is not finite");
    for (const auto& label : m.labels) {
      const bool control = std::any_of(label.begin(), label.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
      if (label.empty() || label.size() > 100 || control)
        bad_model(dir, "its label " + quoted_value(label) + " is not a label soundlens train writes (printable, 1 to 100 bytes)");
    }
    if (const auto t = j.find("event_thresholds"); t != j.end()) {
      if (t->at("file").get<std::string>() != kTrainedThresholdsFile)
        bad_model(dir, "its event thresholds must be " + std::string(kTrainedThresholdsFile));
      const auto path = fs::path(dir) / kTrainedThresholdsFile;
      if (!fs::is_regular_file(path, ec)) bad_model(dir, "its event thresholds " + path.string() + " are missing");
      if (file_sha256(path.string()) != t->at("sha256").get<std::string>())
        bad_model(dir, path.string() + " does not match the SHA-256 in " + kTrainedModelManifest + " (changed after training)");
      std::ifstream tin(path, std::ios::binary);
      const std::string csv((std::istreambuf_iterator<char>(tin)), std::istreambuf_iterator<char>());
      m.event_thresholds = parse_thresholds_csv(csv, m.labels, path.string());
      m.event_thresholds_fitted_on = t->value("fitted_on", "");
    }
    return m;
  } catch (const nlohmann::json::exception& e) {
    bad_model(dir, std::string(kTrainedModelManifest) + " is not what soundlens wrote: " + e.what());
  }
}

std::optional<std::string> find_trained_model(const std::string& name, const std::vector<std::string>& search_path) {
  std::error_code ec;
  if (name.empty()) return std::nullopt;
  if (fs::is_regular_file(fs::path(name) / kTrainedModelManifest, ec)) return name;  // a directory, as given
  if (name.find('/') != std::string::npos || name == "." || name == "..") return std::nullopt;
  for (const auto& dir : search_path)
    if (fs::is_regular_file(fs::path(dir) / name / kTrainedModelManifest, ec)) return (fs::path(dir) / name).string();
  return std::nullopt;
}

}  // namespace soundlens
