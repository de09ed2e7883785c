#pragma once
// The analysis' results as plain values: what the stages above it (events,
// exports, render, storage through JSON) read without linking the analyzer.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/frame_evidence.h"
#include "audio/audio.h"
#include "explain/cam_map.h"
#include "explain/map_checks.h"
#include "features/mel_spectrogram.h"

namespace soundlens {

struct Prediction {
  int index = 0;
  std::string label;
  float probability = 0;
  std::string model;  // a fused analysis: the model whose probability this is (the higher of the two); else empty
};

struct TimelineWindow {
  double start_s = 0;
  double end_s = 0;
  std::vector<Prediction> predictions;  // this window's top k
  std::vector<float> probabilities;     // all classes
};

struct ListenCheck {
  double kept_probability = 0;     // the class's clip probability on the audio the map keeps
  double removed_probability = 0;  // ... and on what it removes
  // From the listening search (explain/listen_search.h); absent when only the two probabilities were measured.
  std::optional<ListenResult> search;  // its audio left empty
};

struct Explanation {
  Prediction target;
  std::string model;  // a fused analysis: the model whose map this is (each class has one per model); else empty
  std::optional<Prediction> contrast;  // explains logit(target) - logit(contrast)
  CamMap cam;  // stitched over the whole recording
  std::optional<Faithfulness> faithfulness;
  std::optional<SanityCheck> sanity;
  std::optional<ListenCheck> listen;
};

struct Analysis {
  std::string model;
  std::vector<std::string> models;     // a fused analysis: the models it combines, in order; else empty
  AudioSource audio;                   // what was decoded
  double duration_s = 0;               // after conversion to 32 kHz mono
  std::vector<Prediction> predictions; // clip level (max over windows), top k
  std::vector<float> probabilities;    // clip level, all classes
  std::vector<TimelineWindow> timeline;
  std::vector<Explanation> explanations;
  double window_s = 10, hop_s = 5;
  std::map<std::string, double> timings_ms;  // features, inference, explain, analysis (+ decode, render by the caller)
  // With AnalysisOptions::figure: the spectrogram the top class's figure is
  // drawn over (render/analysis_figure.h draws it). The whole recording's, or
  // for a streamed long one a bounded-width overview (spectrogram_stream.h).
  std::optional<MelSpectrogram> overview;
  FrameEvidence frames;  // with AnalysisOptions::frame_evidence
};

}  // namespace soundlens
