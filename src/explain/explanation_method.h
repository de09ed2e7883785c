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
std::vector<CamMap> explain_recording(const Model& model, const ExplanationMethod& method,
                                      std::span<const WindowBatch> batches, std::span<const double> window_starts_s,
                                      std::span<const ExplainTarget> targets, double duration_s,
                                      const CancelToken* cancel = nullptr);

// The same, one batch at a time, keeping only the stitched maps (bounded
// memory over long recordings, whose length is known at the end): add() the
// batches in any order with their windows' starts, then finish(). Targets may
// join later (add_target); the windows a target missed are added again for it
// alone (add_for), so a stream can explain the classes it ranks highest as it
// reads and go back only for those that rose late.
class RecordingExplainer {
 public:
  RecordingExplainer(const Model& model, const ExplanationMethod& method, std::vector<ExplainTarget> targets,
                     const CancelToken* cancel = nullptr);
  ~RecordingExplainer();
  // Its index in targets().
  std::size_t add_target(const ExplainTarget& target);
  const std::vector<ExplainTarget>& targets() const;
  // The batch for every target, or for the targets at `which` (indices into targets()).
  void add(const WindowBatch& batch, std::span<const double> window_starts_s);
  void add_for(const WindowBatch& batch, std::span<const double> window_starts_s, std::span<const std::size_t> which);
  // One map per target, in targets() order, or per target at `which`; each must have had a window.
  std::vector<CamMap> finish(double duration_s);
  std::vector<CamMap> finish_for(double duration_s, std::span<const std::size_t> which);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace soundlens
