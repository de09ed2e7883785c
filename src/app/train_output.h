#pragma once
// What `soundlens train` prints: a readable report, or one JSON object.
#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

#include "train/trainer.h"

namespace soundlens {

void print_train_report(std::ostream& out, const TrainReport& report, const std::string& dir);
nlohmann::json train_report_json(const TrainReport& report, const std::string& dir);
// The per-class table, the figures and (single-label) the confusion matrix.
void print_metrics(std::ostream& out, const Metrics& metrics, bool negative_class);

}  // namespace soundlens
