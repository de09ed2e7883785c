#pragma once
// Analysis stage: the Analyzer, which produces one value object per analysed
// recording (audio -> features -> model -> explain; analysis_values.h). It
// returns data: render/ draws the figures from it.
#include <cstdint>
#include <functional>
#include <span>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/analysis_options.h"
#include "analysis/analysis_values.h"
#include "analysis/windowing.h"
#include "audio/audio.h"
#include "explain/faithfulness.h"
#include "explain/listen.h"
#include "explain/listen_search.h"
#include "explain/sanity.h"
#include "model/labels.h"
#include "model/model.h"

namespace soundlens {

// A recording that can be read more than once: each call reads it from the
// start, handing its 32 kHz mono samples to the sink in consecutive blocks,
// and returns what was decoded.
using SampleReader = std::function<AudioSource(const SampleSink& sink)>;
// decode_file_stream of the path (options.time_limit_s applies to each reading).
SampleReader file_reader(std::string path, DecodeOptions options = {});
// decode_memory_stream of the bytes, which must outlive the reader.
SampleReader bytes_reader(std::span<const std::uint8_t> bytes, DecodeOptions options = {});
// Blocks of samples already decoded; `audio` must outlive the reader.
SampleReader memory_reader(const Audio& audio, std::size_t block_samples = 1 << 16);

class Analyzer {
 public:
  Analyzer(std::shared_ptr<const Model> model, std::shared_ptr<const Labels> labels);
  Analysis analyze(const Audio& audio, const AnalysisOptions& options) const;
  // The same analyses (one per element of `runs`, e.g. the clip windows and
  // the event windows) of a recording that is never held whole: a first
  // reading gives every run's window probabilities, a second explains each
  // run's targets (and, with AnalysisOptions::figure, computes the figure's
  // overview spectrogram, of bounded width: spectrogram_stream.h). The results equal analyze() of the decoded
  // recording. `observe`, when given, sees every block of the first reading.
  // Faithfulness and sanity need the whole recording: Error(bad_request).
  // timings_ms also has "decode" (both readings, beside the analysis' work).
  std::vector<Analysis> analyze_stream(const SampleReader& read, std::span<const AnalysisOptions> runs,
                                       const SampleSink* observe = nullptr) const;
  // Each window's embedding (ForwardPass::embedding: the pooled features the
  // classifier starts from), the windows cut as analyze() cuts them, with
  // their clip probabilities; nothing is explained.
  struct WindowEmbeddings {
    std::vector<WindowSpan> spans;
    int size = 0;               // values per window
    std::vector<float> values;  // windows x size
    std::vector<std::vector<float>> probabilities;  // per window
    std::vector<float> clip;  // per class: the maximum over windows (NaN for a class the model lacks), as analyze()'s
  };
  WindowEmbeddings embed(const Audio& audio, const AnalysisOptions& options) const;
  // Explains one class (any, not only the top k) over the whole recording.
  // With the options' method, contrast, faithfulness and sanity; listen_check
  // also analyses the audio the map keeps and removes.
  Explanation explain(const Audio& audio, int class_index, const AnalysisOptions& options,
                      bool listen_check = false) const;
  // What the map keeps and removes, as 32 kHz audio (explain/listen.h).
  // The kept audio is the smallest top part of the map that keeps the class at 80 % (listen_search).
  ListenAudio listen(const Audio& audio, const Explanation& explanation) const;
  // The search itself, with the options' windows and time limit; its check() is the ListenCheck.
  ListenResult listen_search(const Audio& audio, const Explanation& explanation,
                             const AnalysisOptions& options) const;
  static ListenCheck check_of(const ListenResult& result);
  // The log-mel spectrogram of the whole recording (the model's front end).
  MelSpectrogram spectrogram(const Audio& audio) const;
  // The frames of the same spectrogram from start_s to end_s (clamped to the
  // recording), computed from the span plus enough context that every frame
  // equals the whole recording's. Returns the first frame's time in *first_s.
  MelSpectrogram spectrogram(const Audio& audio, double start_s, double end_s, double* first_s) const;
  // The same frames from a recording read as a stream: only the span (with its
  // context) is held, and the reading stops past it.
  MelSpectrogram spectrogram(const SampleReader& read, double start_s, double end_s, double* first_s) const;
  // One frame of the frame evidence (AnalysisOptions::frame_evidence): a column of the last block.
  double frame_seconds() const;
  const Model& model() const { return *model_; }
  const Labels& labels() const { return *labels_; }
  const std::shared_ptr<const Labels>& shared_labels() const { return labels_; }

 private:
  std::shared_ptr<const Model> model_;
  std::shared_ptr<const Labels> labels_;
  int contrast_class(const AnalysisOptions& options) const;  // -1: none
};

}  // namespace soundlens
