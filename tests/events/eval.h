#pragma once
// Runs the real pipeline (Analyzer + detect_events) over the evaluation set
// and scores it: event F1 with onsets within 0.5 s, and the cough-count error.
#include <vector>

#include "analysis/analysis.h"
#include "events/detect.h"
#include "scenes.h"

namespace soundlens::eval {

// What detection needs from one analysed recording.
struct Analysed {
  std::vector<TimelineWindow> timeline;
  std::vector<ClassProfile> profiles;
  double duration_s = 0;
};

// Analyses with top_k 5 and the pinned classes explained, as a caller of
// detect_events would; profiles for every explained class.
Analysed analyse(const Analyzer& analyzer, const Audio& audio, double window_s, double hop_s,
                 const std::vector<int>& pinned);

struct Score {
  int truths = 0, detections = 0, true_positives = 0, false_positives = 0;
  int coughs_true = 0, coughs_found = 0, cough_count_abs_error = 0;
  double precision() const { return detections ? double(true_positives) / (true_positives + false_positives) : 0; }
  double recall() const { return truths ? double(true_positives) / truths : 0; }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
  double cough_count_error() const { return coughs_true ? double(cough_count_abs_error) / coughs_true : 0; }
};

// Scores one scene's events against its truth. Only events of watched classes
// count. A detection matches a truth event when its class is one the truth
// accepts and its onset is within `tolerance_s`; each truth event is matched
// once (closest onset first). A second detection on a matched truth event is
// a false positive if it has the same class, and ignored if it names another
// accepted class (e.g. Bark next to Dog: the ontology, not an error).
void score_scene(const std::vector<TruthEvent>& truth, int scene, const std::vector<Event>& events,
                 const std::vector<int>& watched, double tolerance_s, Score& total);

}  // namespace soundlens::eval
