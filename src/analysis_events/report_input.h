#pragma once
// The PDF report of one analysis, built the same way by the CLI and the API:
// from the analysis JSON (with its events, counts and raised quality flags,
// as add_events_json writes them), the recording, and the analyzer. The
// figures show the maps the analysis reported (its JSON holds them); only the
// spectrogram under them is computed again from the audio.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "analysis_events/event_options.h"
#include "render/report_pdf.h"

namespace soundlens {

// What the analysis JSON does not say about the recording and the run.
struct ReportFacts {
  std::string file_name;
  std::string sha256;  // of the bytes as uploaded or read (model/file_sha256.h)
  std::string date;    // when the analysis ran, ISO 8601 UTC
  std::vector<std::pair<std::string, std::string>> parameters;  // report_parameters()
};

// Every parameter of the run, name -> value: the analysis options (top_k,
// classes, window_s, hop_s; method and contrast as the explanations used
// them are stated with each figure), the event windows and the detection's options.
std::vector<std::pair<std::string, std::string>> report_parameters(const AnalysisOptions& options,
                                                                   const AnalysisEventOptions& events);

// The events and counts of the analysis JSON into `in`; when the JSON carries each event's
// review (a stored analysis, as the API serves it), the events as reviewed (the corrected class
// and times) with their statuses, and each count's confirmed / rejected / unreviewed.
void read_report_events(ReportInput& in, const nlohmann::json& analysis_json);

// Now, as ISO 8601 UTC to the second ("2026-11-28T06:20:00Z").
std::string utc_now_iso8601();

// The report's sentence on an analysis' `calibration` object (calibration_summary); "" for none.
std::string calibration_sentence(const nlohmann::json& calibration);

// An explanation of the analysis JSON may say where its map comes from (a sentence, e.g. "Computed on
// the page."), put before its checks; each figure's checks are said in words (report_checks.h), the
// ones not computed named as such.
inline constexpr const char* kReportSourceKey = "report_source";

// Owns the spectrogram and maps that its ReportInput points at, so it is
// neither copied nor moved.
class AnalysisReport {
 public:
  // Throws Error(bad_request) when the JSON lacks what a report needs
  // (model, duration, predictions) or a map's shape does not match its values.
  AnalysisReport(const nlohmann::json& analysis_json, const Audio& audio, const Analyzer& analyzer,
                 ReportFacts facts);
  AnalysisReport(const AnalysisReport&) = delete;
  AnalysisReport& operator=(const AnalysisReport&) = delete;

  const ReportInput& input() const { return input_; }
  std::vector<std::uint8_t> pdf() const { return render_report_pdf(input_); }

 private:
  MelSpectrogram spectrogram_;
  std::vector<CamMap> maps_;
  ReportInput input_;
};

// A map back from explanation_to_json's shape (Error(bad_request) if malformed).
CamMap cam_from_json(const nlohmann::json& explanation);

}  // namespace soundlens
