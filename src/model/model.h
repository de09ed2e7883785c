#pragma once
// Model stage: the LibTorch networks. No Torch type appears here.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "features/mel_spectrogram.h"

namespace soundlens {

// A layer the explanation methods may ask for by name, and how many input
// frames and mel bins one cell of its output covers.
struct ExplainableLayer {
  std::string name;
  int time_stride = 1;
  int freq_stride = 1;
};

struct ModelInfo {
  std::string name;             // "mn04_as", "cnn14"
  std::string architecture;     // human-readable
  std::string weights_file;     // relative to a model directory
  std::string weights_url;      // where to get it
  std::int64_t weights_bytes = 0;  // the official file's size and MD5, checked on download
  std::string weights_md5;
  double audioset_map = 0;      // published mAP
  std::string cam_layer;        // the layer Grad-CAM uses
  int time_stride = 1;          // input frames per feature-map column (of cam_layer)
  int freq_stride = 1;          // mel bins per feature-map row (of cam_layer)
  // Shallowest first; the last is cam_layer. Layer-CAM fuses all of them.
  std::vector<ExplainableLayer> explainable_layers;
  int min_frames = 1;           // shortest input (in frames) the network accepts
  int num_classes = 527;
  // Silence in the model's own feature domain: what occlusion, faithfulness and
  // integrated gradients put in place of removed input.
  float silence_floor = 0;

  // What `soundlens models` and GET /api/v1/models show.
  std::string classes;          // e.g. "527 AudioSet classes"
  std::string front_end;        // the front end, in words (as FrontEnd::description())
  std::string map_metric;       // what audioset_map measures, e.g. "mAP" or "balanced mAP"
  std::string map_dataset = "AudioSet evaluation set";  // where audioset_map was measured
  int network_classes = 527;    // outputs of the network itself (YAMNet: 521, mapped onto the 527)
  std::string weights_sha256;   // the known file's; a loaded model has its own file's, computed at load
  std::string license;          // of the weights
  std::string source;           // who made the weights and where they were published
  // AudioSet indices the model has no output for: their logits are NaN, and
  // they must be left out of top-k and written as absent (null), never 0.
  std::vector<int> missing_classes;
  // The model's own analysis window and hop when it has one (YAMNet: one
  // 0.96 s patch plus the last frame's 15 ms, every 0.48 s); 0: the user's.
  double window_s = 0;
  double hop_s = 0;
  int embedding_size = 0;       // values of ForwardPass::embedding (what a trained head takes)
  // Events' evidence: the head applied to this many consecutive columns of the last block, pooled as
  // the head pools a whole window, every column (ForwardPass::frame_logits). One column alone is a third
  // of a second the head never saw in training; pooled over about 3 s, mn04_as's evidence finds events
  // as short windows of their own would, from the analysis pass (docs/events-measured.md).
  int event_pool_columns = 1;
  // ... and an event found on that pooled evidence is narrowed to its columns whose own evidence
  // reaches this fraction of their highest (FrameEventOptions::onset_fraction).
  double event_onset_fraction = 0;
  // A trained model's own classes (model/trained_model.h), in output order;
  // empty: the AudioSet classes of labels/class_labels_indices.csv.
  std::vector<std::string> class_names;
};

// The result of one backbone pass over a batch of equally long windows.
// Explanations reuse it: the backbone never runs twice.
class ForwardPass {
 public:
  virtual ~ForwardPass() = default;
  virtual int windows() const = 0;
  virtual std::span<const float> logits(int window) const = 0;  // num_classes
  // Frame-level class evidence of one window: the classifier applied to the
  // last block's time columns (as class activation maps do), so events are
  // placed from this pass at the column resolution (time_stride input
  // frames). pool_columns > 1: column t's evidence is the head on the
  // pool_columns columns around it (t - pool/2 .. t + pool - pool/2 - 1,
  // shifted inside the window at its edges; the whole window when it has
  // fewer). Row-major (columns, num_classes) logits; empty when the network
  // has no such head.
  virtual std::vector<float> frame_logits(int /*window*/, int /*pool_columns*/ = 1) const { return {}; }
  // The pooled features the classifier head starts from (the network's
  // embedding: mn04_as 960, yamnet 1024, cnn14 2048 values); empty when the
  // pass does not know its network.
  virtual std::vector<float> embedding(int /*window*/) const { return {}; }
};

class Model {
 public:
  virtual ~Model() = default;
  virtual const ModelInfo& info() const = 0;
  virtual const FrontEnd& frontend() const = 0;
  // All spectrograms must have the same number of frames (>= min_frames).
  virtual std::unique_ptr<ForwardPass> forward(std::span<const MelSpectrogram> windows) const = 0;
};

// LibTorch starts with one thread; this sets intra-op threads (0 = the cores
// not busy with other work now, core/idle_cores.h: all of them on an idle
// machine) for the calling thread (OpenMP keeps the setting per thread).
void set_inference_threads(int threads);
// The intra-op threads the calling thread runs inference with.
int inference_threads();

}  // namespace soundlens
