#include "analysis_events/report_input.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <ctime>
#include <map>
#include <optional>

#include "analysis_events/analysis_events.h"
#include "analysis_events/fused_analysis.h"
#include "analysis_events/report_checks.h"
#include "core/error.h"
#include "model/model_registry.h"

namespace soundlens {
namespace {
using nlohmann::json;

[[noreturn]] void malformed(const std::string& what) {
  throw Error(ErrorCode::bad_request, "the analysis cannot be reported: " + what);
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

// "wav / pcm_s16le, 44100 Hz, 2 channels"
std::string format_of(const json& audio) {
  if (!audio.is_object()) return "";
  const int channels = audio.value("channels", 0);
  return audio.value("format", "") + " / " + audio.value("codec", "") + ", " +
         std::to_string(audio.value("sample_rate", 0)) + " Hz, " + std::to_string(channels) +
         (channels == 1 ? " channel" : " channels");
}

std::string method_name(const std::string& method) {
  static const std::map<std::string, std::string> names{{"gradcam", "Grad-CAM"},
                                                        {"gradcam++", "Grad-CAM++"},
                                                        {"layercam", "Layer-CAM"},
                                                        {"integrated-gradients", "Integrated Gradients"},
                                                        {"occlusion", "Occlusion"}};
  const auto it = names.find(method);
  return it == names.end() ? method : it->second;
}

// "Grad-CAM on features.16 (score: logit)"
std::string method_line(const CamMap& cam) {
  return method_name(cam.method) + " on " + cam.layer + " (score: " + cam.score + ")";
}

// A class the model has no output for has a null probability (analysis_json.h): shown as 0, not a failure.
ReportPrediction prediction_of(const json& p) {
  const auto probability = p.find("probability");
  return {p.value("index", 0), p.value("label", ""),
          probability != p.end() && probability->is_number() ? probability->get<float>() : 0.0f};
}

std::vector<EventCount> counts_of(const json& j) {
  std::vector<EventCount> out;
  if (const auto it = j.find("event_counts"); it != j.end() && it->is_array())
    for (const auto& c : *it)
      out.push_back({c.value("index", 0), c.value("label", ""), c.value("count", 0), c.value("per_hour", 0.0)});
  return out;
}

void add_review(ReportInput& in, const json& j) {
  const auto events = j.find("events");
  if (events == j.end() || !events->is_array() || events->size() != in.events.size()) return;
  std::vector<std::string> statuses;
  for (std::size_t i = 0; i < in.events.size(); ++i) {
    const auto review = (*events)[i].find("review");
    if (review == (*events)[i].end() || !review->is_object()) return;  // not reviewed JSON (the CLI's)
    Event& e = in.events[i];
    const auto number = [&](const char* name) -> std::optional<double> {
      const auto v = review->find(name);
      return v != review->end() && v->is_number() ? std::optional(v->get<double>()) : std::nullopt;
    };
    if (const auto label = review->find("label"); label != review->end() && label->is_string()) {
      e.label = label->get<std::string>();
      e.index = review->value("index", e.index);
    }
    e.onset_s = number("onset_s").value_or(e.onset_s);
    e.offset_s = number("offset_s").value_or(e.offset_s);
    statuses.push_back(review->value("status", "unreviewed"));
  }
  in.event_reviews = std::move(statuses);
  const auto counts = j.find("event_counts");
  if (counts == j.end() || !counts->is_array()) return;
  std::vector<ReportInput::CountReview> reviews;
  for (const auto& c : *counts) {
    if (!c.contains("confirmed")) return;
    reviews.push_back({c.value("confirmed", 0), c.value("rejected", 0), c.value("unreviewed", 0)});
  }
  in.count_reviews = std::move(reviews);
}

std::vector<QualityFlag> quality_of(const json& j) {
  std::vector<QualityFlag> out;
  if (const auto it = j.find("quality"); it != j.end() && it->is_array())
    for (const auto& q : *it)
      out.push_back({q.value("name", ""), q.value("raised", true), q.value("value", 0.0), q.value("unit", ""),
                     q.value("message", "")});
  return out;
}

// The weights file as named in a model directory ("efficientat/mn04_as_mAP_432.pt"),
// not where it lies on this machine: a report leaves the server. Its SHA-256 identifies it.
std::string weights_name(const ModelInfo& model) {
  for (const auto& known : known_models())
    if (known.name == model.name) return known.weights_file;
  return std::filesystem::path(model.weights_file).filename().string();
}

}  // namespace

CamMap cam_from_json(const json& e) {
  CamMap cam;
  try {
    cam.class_index = e.at("index").get<int>();
    if (const auto c = e.find("contrast"); c != e.end() && c->is_object()) cam.contrast_index = c->value("index", -1);
    cam.method = e.value("method", cam.method);
    cam.layers = e.value("layers", std::vector<std::string>{});
    cam.layer = e.value("layer", "");
    cam.score = e.value("score", cam.score);
    cam.rows = e.at("rows").get<int>();
    cam.cols = e.at("cols").get<int>();
    cam.seconds_per_column = e.at("seconds_per_column").get<double>();
    cam.frames_per_column = e.value("frames_per_column", 0);
    cam.mel_bins_per_row = e.at("mel_bins_per_row").get<double>();
    cam.row_edges_hz = e.value("row_edges_hz", std::vector<double>{});
    const json& map = e.at("map");
    if (!map.is_array() || int(map.size()) != cam.rows) malformed("a map's rows do not match its shape");
    cam.values.reserve(std::size_t(cam.rows) * std::size_t(std::max(0, cam.cols)));
    for (const auto& row : map) {
      if (!row.is_array() || int(row.size()) != cam.cols) malformed("a map's columns do not match its shape");
      for (const auto& v : row) cam.values.push_back(v.get<float>());
    }
  } catch (const json::exception& ex) {
    malformed(std::string("an explanation is incomplete (") + ex.what() + ")");
  }
  return cam;
}

void read_report_events(ReportInput& in, const nlohmann::json& j) {
  in.events = events_from_json(j);
  in.counts = counts_of(j);
  add_review(in, j);
}

std::vector<std::pair<std::string, std::string>> report_parameters(const AnalysisOptions& o, const AnalysisEventOptions& events) {
  const EventOptions& e = events.detect;
  std::string classes;
  for (const auto& c : o.classes) classes += (classes.empty() ? "" : ", ") + c;
  return {{"top_k", std::to_string(o.top_k)},
          {"classes", classes.empty() ? "(none)" : classes},
          {"window_s", number(o.window_s)},
          {"hop_s", number(o.hop_s)},
          {"event_window_s", number(events.window_s)},
          {"event_hop_s", number(events.hop_s)},
          {"event_window_high", number(e.window_high)},
          {"event_window_low", number(e.window_low)},
          {"event_min_duration_s", number(e.min_duration_s)},
          {"event_merge_gap_s", number(e.merge_gap_s)},
          {"event_max_classes", std::to_string(e.max_classes)}};
}

std::string calibration_sentence(const json& c) {
  if (!c.is_object() || !c.contains("classes") || !c["classes"].is_array()) return "";
  std::string classes;
  for (const auto& name : c["classes"])
    if (name.is_string()) classes += (classes.empty() ? "" : ", ") + name.get<std::string>();
  std::string s = "Platt scaling of " + classes + " by " + c.value("file", std::string("(unnamed)")) + ", fitted on " +
                  std::to_string(c.value("files", 0)) + " files of " + c.value("fitted_on", std::string("(not said)"));
  const auto before = c.value("ece_before", json()), after = c.value("ece_after", json());
  if (before.is_number() && after.is_number()) {
    char ece[96];
    std::snprintf(ece, sizeof ece, "; expected calibration error on held-out files %.3f before, %.3f after",
                  before.get<double>(), after.get<double>());
    s += ece;
  }
  return s + ".";
}

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

AnalysisReport::AnalysisReport(const json& j, const Audio& audio, const Analyzer& analyzer, ReportFacts facts) {
  if (!j.is_object() || !j.contains("model") || !j.contains("duration_s") || !j.contains("predictions"))
    malformed("its JSON has no model, duration or predictions");
  const ModelInfo& model = analyzer.model().info();
  // The maps are drawn over this model's spectrogram: another model's would not fit. A fused analysis'
  // report is drawn by its first part, with that part's maps (the other's are in the JSON).
  const bool fused = j["model"].is_string() && is_fused_model(j["model"].get<std::string>()) &&
                     model.name == fused_model_parts().front();
  if (j["model"] != model.name && !fused)
    throw Error(ErrorCode::model_not_loaded, "the analysis was made with model " + j["model"].dump() +
                                                 ", and the model loaded is " + model.name);
  ReportInput& in = input_;
  in.file_name = std::move(facts.file_name);
  in.format = format_of(j.value("audio", json::object()));
  in.duration_s = j["duration_s"].get<double>();
  in.sha256 = std::move(facts.sha256);
  in.soundlens_version = SOUNDLENS_VERSION;
  in.model = fused ? std::string(kFusedModelName) + " (" + fused_model_parts()[0] + " and " + fused_model_parts()[1] +
                         "; the maps shown are " + model.name + "'s)"
                   : model.name + " (" + model.architecture + ")";
  in.weights_file = weights_name(model);
  in.weights_sha256 = model.weights_sha256.empty() ? "(not known)" : model.weights_sha256;
  in.date = std::move(facts.date);
  in.calibration = calibration_sentence(j.value("calibration", json()));
  in.parameters = std::move(facts.parameters);
  for (const auto& p : j["predictions"]) in.predictions.push_back(prediction_of(p));
  read_report_events(in, j);
  in.quality = quality_of(j);

  const json explanations = j.value("explanations", json::array());
  if (explanations.empty()) return;
  spectrogram_ = analyzer.spectrogram(audio);
  maps_.reserve(explanations.size());  // the figures point into maps_: no reallocation after this
  for (const auto& e : explanations) {
    if (const auto m = e.find("model"); m != e.end() && *m != model.name) continue;  // a fused analysis' other model
    maps_.push_back(cam_from_json(e));
    // A class absent from the recording has a null score: no number, and no verdict (said in the checks).
    std::optional<double> faithfulness;
    if (const auto f = e.find("faithfulness"); f != e.end() && f->is_object())
      if (const auto score = f->find("score"); score != f->end() && score->is_number()) faithfulness = score->get<double>();
    std::string checks = checks_words(e);
    if (const auto source = e.find(kReportSourceKey); source != e.end() && source->is_string())
      checks = source->get<std::string>() + " " + checks;
    in.figures.push_back({prediction_of(e), method_line(maps_.back()), faithfulness, &spectrogram_, &maps_.back(),
                          std::move(checks)});
  }
}

}  // namespace soundlens
