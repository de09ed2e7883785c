#pragma once
// MODEL/thresholds.csv: a trained model's per-class event thresholds as a
// table to read and diff, in the columns of data/thresholds/<model>.csv
// (index,label,threshold,low,train_f1; '#' lines say how it was made).
#include <string>
#include <vector>

#include "model/trained_head.h"

namespace soundlens {

inline constexpr const char* kTrainedThresholdsFile = "thresholds.csv";

std::string thresholds_csv(const std::string& model, const std::vector<std::string>& labels,
                           const std::vector<EventThreshold>& thresholds, const std::string& fitted_on);

// One row per label, in order, each naming its label; 0 < low <= threshold < 1.
// Error(model_not_loaded) naming `where` and the line otherwise.
std::vector<EventThreshold> parse_thresholds_csv(const std::string& csv, const std::vector<std::string>& labels,
                                                 const std::string& where);

}  // namespace soundlens
