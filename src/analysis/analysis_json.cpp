#include "analysis/analysis_json.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace soundlens {
namespace {

// Probabilities and map values to 4 decimals keep the JSON small and exact
// enough for a 1e-4 contract at the API.
double round4(double v) { return std::round(v * 1e4) / 1e4; }

nlohmann::json prediction_json(const Prediction& p) {
  nlohmann::json j = {{"index", p.index}, {"label", p.label}, {"probability", round4(p.probability)}};
  if (!p.model.empty()) j["model"] = p.model;  // only a fused analysis says which model gave it
  return j;
}

nlohmann::json rounded(const std::vector<float>& values) {
  auto out = nlohmann::json::array();
  // NaN: a class the model has no output for (ModelInfo::missing_classes), absent rather than 0.
  for (float v : values) out.push_back(std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(round4(v)));
  return out;
}

}  // namespace

nlohmann::json predictions_to_json(const std::vector<Prediction>& ps) {
  auto out = nlohmann::json::array();
  for (const auto& p : ps) out.push_back(prediction_json(p));
  return out;
}

nlohmann::json listen_to_json(const ListenCheck& c) {
  nlohmann::json l = {{"kept_probability", round4(c.kept_probability)},
                      {"removed_probability", round4(c.removed_probability)}};
  if (const auto& s = c.search) {
    l["probability"] = round4(s->probability);
    l["keep_fraction"] = s->keep_fraction;
    l["kept_fraction"] = round4(s->kept_fraction);
    l["keeps_class"] = s->keeps_class;
    l["under_half"] = s->under_half;
    l["absent_class"] = s->absent_class;
    l["message"] = s->message;
  }
  return l;
}

nlohmann::json explanation_to_json(const Explanation& e) {
  const auto& cam = e.cam;
  auto map = nlohmann::json::array();
  for (int r = 0; r < cam.rows; ++r) {
    auto row = nlohmann::json::array();
    for (int c = 0; c < cam.cols; ++c) row.push_back(round4(cam.at(r, c)));
    map.push_back(std::move(row));
  }
  auto j = prediction_json(e.target);
  if (!e.model.empty()) j["model"] = e.model;  // a fused analysis has one map per model and class
  j["method"] = cam.method;
  j["layer"] = cam.layer;
  j["layers"] = cam.layers;
  j["score"] = cam.score;
  j["contrast"] = e.contrast ? prediction_json(*e.contrast) : nlohmann::json(nullptr);
  j["rows"] = cam.rows;
  j["cols"] = cam.cols;
  j["seconds_per_column"] = cam.seconds_per_column;
  j["frames_per_column"] = cam.frames_per_column;
  j["mel_bins_per_row"] = cam.mel_bins_per_row;
  j["row_edges_hz"] = cam.row_edges_hz;
  if (cam.completeness_error) j["completeness_error"] = *cam.completeness_error;
  j["map"] = std::move(map);  // row 0 = lowest frequency band
  if (e.faithfulness) {
    const auto& f = *e.faithfulness;
    j["faithfulness"] = {{"score", f.score}, {"random_score", f.random_score}, {"morf_auc", f.morf_auc},
                         {"lerf_auc", f.lerf_auc}, {"steps", f.steps}, {"morf", f.morf}, {"lerf", f.lerf}};
    if (f.absent_class)  // no verdict: the scores would read as one
      for (const char* key : {"score", "random_score", "morf_auc", "lerf_auc"}) j["faithfulness"][key] = nullptr;
    j["faithfulness"]["absent_class"] = f.absent_class;
    if (!f.message.empty()) j["faithfulness"]["message"] = f.message;
  }
  if (e.sanity) {
    auto steps = nlohmann::json::array();
    for (const auto& s : e.sanity->steps) steps.push_back({{"randomised", s.randomised}, {"spearman", s.spearman}});
    j["sanity"] = {{"steps", steps}, {"passed", e.sanity->passed}};
  }
  if (e.listen) j["listen"] = listen_to_json(*e.listen);
  return j;
}

nlohmann::json analysis_to_json(const Analysis& a, const JsonOptions& options) {
  nlohmann::json j;
  j["model"] = a.model;
  if (!a.models.empty()) j["models"] = a.models;
  j["audio"] = {{"format", a.audio.container},     {"codec", a.audio.codec},
                {"sample_rate", a.audio.sample_rate}, {"channels", a.audio.channels},
                {"duration_s", a.audio.duration_s}};
  j["duration_s"] = a.duration_s;
  j["window_s"] = a.window_s;
  j["hop_s"] = a.hop_s;
  j["predictions"] = predictions_to_json(a.predictions);
  if (options.all_probabilities) j["probabilities"] = rounded(a.probabilities);
  auto timeline = nlohmann::json::array();
  for (const auto& w : a.timeline) {
    nlohmann::json tw = {
        {"start_s", w.start_s}, {"end_s", w.end_s}, {"predictions", predictions_to_json(w.predictions)}};
    // The clip's top classes and every explained one (the pinned classes) in
    // this window, so a timeline can draw each of them over time.
    auto classes = nlohmann::json::array();
    std::set<int> listed;
    const auto add = [&](const Prediction& p) {
      if (listed.insert(p.index).second)
        classes.push_back(prediction_json({p.index, p.label, w.probabilities.at(std::size_t(p.index))}));
    };
    for (const auto& p : a.predictions) add(p);
    for (const auto& e : a.explanations) add(e.target);
    tw["classes"] = std::move(classes);
    if (options.all_probabilities) tw["probabilities"] = rounded(w.probabilities);
    timeline.push_back(std::move(tw));
  }
  j["timeline"] = std::move(timeline);
  auto explanations = nlohmann::json::array();
  for (const auto& e : a.explanations) explanations.push_back(explanation_to_json(e));
  j["explanations"] = std::move(explanations);
  nlohmann::json timings = nlohmann::json::object();
  for (const auto& [stage, ms] : a.timings_ms) timings[stage] = std::round(ms * 100) / 100;
  j["timings_ms"] = std::move(timings);
  return j;
}

nlohmann::json spectrogram_to_json(const MelSpectrogram& s, int max_columns, double start_s) {
  const int cols = std::max(1, std::min(s.n_frames, max_columns));
  const double frames_per_col = double(s.n_frames) / cols;
  auto values = nlohmann::json::array();
  float lo = 0, hi = 0;
  if (!s.values.empty()) {
    auto [mn, mx] = std::minmax_element(s.values.begin(), s.values.end());
    lo = *mn, hi = *mx;
  }
  for (int m = 0; m < s.n_mels; ++m) {
    auto row = nlohmann::json::array();
    for (int c = 0; c < cols; ++c) {
      const int f0 = int(c * frames_per_col), f1 = std::max(f0 + 1, int((c + 1) * frames_per_col));
      double sum = 0;
      for (int f = f0; f < f1 && f < s.n_frames; ++f) sum += s.at(m, f);
      row.push_back(std::round(sum / (f1 - f0) * 1e3) / 1e3);
    }
    values.push_back(std::move(row));
  }
  return {{"rows", s.n_mels},
          {"cols", cols},
          {"seconds_per_column", s.seconds_per_frame * frames_per_col},
          {"duration_s", s.seconds_per_frame * s.n_frames},
          {"start_s", start_s},
          {"end_s", start_s + s.seconds_per_frame * s.n_frames},
          {"center_hz", s.center_hz},
          {"min", lo},
          {"max", hi},
          {"values", std::move(values)}};
}

}  // namespace soundlens
