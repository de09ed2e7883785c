#pragma once
// Explain stage: a family of explanation methods behind one interface.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/cancel_token.h"
#include "explain/method_names.h"
#include "explain/cam_grid.h"
#include "explain/cam_map.h"
#include "features/mel_spectrogram.h"
#include "model/model.h"

namespace soundlens {

class ExplanationMethod {
 public:
  virtual ~ExplanationMethod() = default;
  virtual std::string name() const = 0;
  // The layers whose activations the method reads ({"input"} for input methods).
  virtual std::vector<std::string> layers(const ModelInfo& info) const = 0;
  // One raw grid per (target, window): result[t][w]. `pass` is the model's
  // pass over exactly `windows`. Error(bad_request) for a class out of range
  // or a contrast equal to its class. With a token, the expensive methods
  // check it per batch of passes and stop by throwing its error; occlusion
  // also reports the fraction of its passes done (CancelToken::report).
  std::vector<std::vector<CamGrid>> explain(const Model& model, const ForwardPass& pass,
                                            std::span<const MelSpectrogram> windows,
                                            std::span<const ExplainTarget> targets,
                                            const CancelToken* cancel = nullptr) const {
    check_cancel(cancel);
    return compute(model, pass, windows, targets, cancel);
  }
  // What one window (`like`'s shape) costs for one target, in forward passes
  // of that window (a backward pass counts as two), at the method's most:
  // what the service's explanation budget is counted in. The Grad-CAM family
  // reuses the analysis' pass and adds one backward pass.
  virtual double passes_per_window(const MelSpectrogram& /*like*/) const { return 2; }

 protected:
  virtual std::vector<std::vector<CamGrid>> compute(const Model& model, const ForwardPass& pass,
                                                    std::span<const MelSpectrogram> windows,
                                                    std::span<const ExplainTarget> targets,
                                                    const CancelToken* cancel) const = 0;
};

// gradcam, gradcam++, layercam, integrated-gradients, occlusion, with their
// default settings. Error(bad_request) naming the known methods.
// (Their names alone, without Torch: method_names.h.)
const ExplanationMethod& explanation_method(const std::string& name);

// Windows that went through the model together, and their pass.
struct WindowBatch {
  std::span<const MelSpectrogram> windows;
  const ForwardPass* pass = nullptr;
};

// The whole recording: every batch explained, the windows' grids stitched
// (window w starts at window_starts_s[w], counted over all batches in order)
// and the map's method, layers, score, resolution and row edges filled.
// One map per target.
// The same, one batch at a time, keeping only the stitched maps (bounded
// memory over long recordings): add() the batches in any order with their
// windows' starts, then finish().
class RecordingExplainer {
 public:
  RecordingExplainer(const Model& model, const ExplanationMethod& method, std::vector<ExplainTarget> targets,
                     double duration_s, const CancelToken* cancel = nullptr);
  ~RecordingExplainer();
  void add(const WindowBatch& batch, std::span<const double> window_starts_s);
  std::vector<CamMap> finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::vector<CamMap> explain_recording(const Model& model, const ExplanationMethod& method,
                                      std::span<const WindowBatch> batches, std::span<const double> window_starts_s,
                                      std::span<const ExplainTarget> targets, double duration_s,
                                      const CancelToken* cancel = nullptr);

}  // namespace soundlens
