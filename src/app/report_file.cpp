#include "app/report_file.h"

#include <filesystem>

#include "analysis/analysis_json.h"
#include "analysis_events/report_input.h"
#include "model/calibrated_model.h"
#include "model/file_sha256.h"

namespace soundlens {

std::vector<std::uint8_t> report_pdf(const std::string& file, const Analyzer& analyzer, const Audio& audio,
                                     const Analysis& analysis, const AnalysisEvents& events,
                                     const AnalysisOptions& options, const AnalysisEventOptions& event_settings) {
  auto json = analysis_to_json(analysis);
  add_events_json(json, events);
  if (const auto* calibration = calibration_summary_of(analyzer.model())) json["calibration"] = *calibration;
  ReportFacts facts{std::filesystem::path(file).filename().string(), file_sha256(file), utc_now_iso8601(),
                    report_parameters(options, event_settings)};
  return AnalysisReport(json, audio, analyzer, std::move(facts)).pdf();
}

}  // namespace soundlens
