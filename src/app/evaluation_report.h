#pragma once
// soundlens evaluate's figures and report: the reliability diagram (PNG, and
// drawn in the PDF) and the PDF report of an evaluation.
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "render/chart.h"
#include "train/evaluation.h"

namespace soundlens {

ChartSpec reliability_chart(const EvaluationReport& report);

// The PDF: what was evaluated (model, weights' SHA-256, `folder`, every file's SHA-256, the
// decision rule and windows), per class, overall, confusion matrix, reliability and ECE.
std::vector<std::uint8_t> evaluation_report_pdf(const EvaluationReport& report, const std::string& folder,
                                                const Analyzer& analyzer, const AnalysisOptions& windows);

}  // namespace soundlens
