#pragma once
// What explaining one class of a recording will cost, known before any work:
// the service refuses (or queues elsewhere) what would hold a slot for long.
#include <cstddef>
#include <string>

#include "analysis/analysis.h"

namespace soundlens {

struct ExplanationCost {
  std::size_t windows = 0;         // model windows over the recording
  double window_s = 0;             // audio in each
  double passes_per_window = 0;    // forward passes of each window (a backward pass counts two), all parts
  double method_passes = 0;        // of which the method's own, for one run
  // Seconds of audio through the network: windows x passes x window_s. One
  // analysis of 10 s costs 10; occlusion of 10 s with mn04_as about 11,300.
  double network_s() const { return double(windows) * passes_per_window * window_s; }
};

// For one target with the options' method, faithfulness and sanity (and the
// listening check when asked), at each method's most (integrated gradients'
// largest step count). Error(bad_request) for an unknown method.
ExplanationCost explanation_cost(const Model& model, double duration_s, const AnalysisOptions& options,
                                 bool listen_check = false);

}  // namespace soundlens
