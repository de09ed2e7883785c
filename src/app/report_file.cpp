#include "app/report_file.h"

#include <filesystem>
#include <fstream>

#include "analysis/analysis_json.h"
#include "analysis_events/analysis_events.h"
#include "analysis_events/report_input.h"
#include "core/error.h"
#include "model/file_sha256.h"

namespace soundlens {

void write_report_pdf(const std::string& path, const std::string& file, const Analyzer& analyzer, const Audio& audio,
                      const Analysis& analysis, const AnalysisOptions& options) {
  auto json = analysis_to_json(analysis);
  add_events_json(json, analysis_events(analyzer, audio, analysis, options));
  ReportFacts facts{std::filesystem::path(file).filename().string(), file_sha256(file), utc_now_iso8601(),
                    report_parameters(options)};
  const auto pdf = AnalysisReport(json, audio, analyzer, std::move(facts)).pdf();
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(pdf.data()), std::streamsize(pdf.size()));
  if (!out) throw Error(ErrorCode::bad_request, "cannot write the report to " + path);
}

}  // namespace soundlens
