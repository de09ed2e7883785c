#pragma once
// Input-quality checks on the decoded samples and the analysis: each gives a
// number and one sentence of what it means for the result.
#include <memory>
#include <span>
#include <vector>

#include "analysis/analysis_values.h"
#include "audio/audio.h"
#include "events/event.h"

namespace soundlens {

struct QualityOptions {
  double narrowband_cutoff_hz =
      4500;                          // telephone audio: nothing above 3.4 to 4 kHz (+ the resampler's transition band)
  double narrowband_floor = 1e-5;    // "nothing": less than this share of the energy (-50 dB)
  float clip_level = 0.99f;          // |sample| at or above this counts as clipped
  double clipping_fraction = 0.001;  // raised above 0.1 % clipped samples
  double silence_dbfs = -60;         // a 50 ms frame quieter than this (RMS) is silent
  double mostly_silent_fraction = 0.5;  // raised when more than this share of the frames is silent
  double seconds_per_cell = 0.32;       // used when the analysis has no explanation map
  double low_confidence = 0.3;          // raised when no class reaches this
};

// The five checks, always in this order: narrowband, clipping, mostly_silent,
// shorter_than_one_cell, low_confidence. `audio` is what was analysed.
std::vector<QualityFlag> quality_flags(const Audio& audio, const Analysis& analysis,
                                       const QualityOptions& options = {});

// The sample-level measures of the checks, taken block by block from a
// stream (the recording never held whole): the same numbers as the
// functions below on the whole recording.
struct AudioMeasures {
  double bandwidth_hz = 0, clipped_fraction = 0, silent_fraction = 1, duration_s = 0;
  std::size_t samples = 0;
};
class QualityMeter {
 public:
  explicit QualityMeter(int sample_rate, const QualityOptions& options = {});
  ~QualityMeter();
  void push(std::span<const float> block);
  AudioMeasures finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};
std::vector<QualityFlag> quality_flags(const AudioMeasures& measured, const Analysis& analysis,
                                       const QualityOptions& options = {});

// The parts, for tests and for callers without a full analysis.
double bandwidth_hz(const Audio& audio, double floor);  // the frequency above which `floor` of the energy lies
double clipped_fraction(const Audio& audio, float level);
double silent_fraction(const Audio& audio, double silence_dbfs);

}  // namespace soundlens
