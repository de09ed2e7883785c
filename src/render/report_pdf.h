#pragma once
// The PDF report of one analysis (Cairo's PDF surface): recording facts,
// provenance, top predictions, each explained class's figure as vector
// graphics, the events and counts, and the quality flags. All text is real
// text. Depends only on value types.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "events/event.h"
#include "explain/cam_map.h"
#include "features/mel_spectrogram.h"

namespace soundlens {

struct ReportPrediction {
  int index = 0;
  std::string label;
  float probability = 0;
};

struct ReportFigure {
  ReportPrediction target;
  std::string method;                           // e.g. "Grad-CAM on features.16 (score: logit)"
  std::optional<double> faithfulness;           // absent: "not computed"
  const MelSpectrogram* spectrogram = nullptr;  // the whole recording
  const CamMap* cam = nullptr;                  // over the whole recording
  std::string checks;                           // the checks in words; when set, said instead of the score alone
};

struct ReportInput {
  // The recording.
  std::string file_name;
  std::string format;  // e.g. "wav / pcm_s16le, 44100 Hz, 2 channels"
  double duration_s = 0;
  std::string sha256;
  // Provenance.
  std::string soundlens_version;
  std::string model;
  std::string weights_file;
  std::string weights_sha256;
  std::string date;                                             // when the analysis ran, e.g. ISO 8601 UTC
  std::vector<std::pair<std::string, std::string>> parameters;  // every parameter, name -> value
  // A calibrated model's probabilities (analyze/serve --calibration): which classes, by which file, fitted on
  // what, in one sentence; "" when the model was not calibrated.
  std::string calibration;
  // What a person added and looked at (a stored analysis, as the page shows it): the note, the
  // labels, and which classes were pinned or explained with which method ("" / empty: not said).
  std::string note;
  std::vector<std::string> labels;
  std::string looked_at;
  // Results.
  std::vector<ReportPrediction> predictions;
  std::vector<ReportFigure> figures;
  std::vector<Event> events;     // as reviewed: a corrected class and times replace the detected ones
  std::vector<EventCount> counts;
  // A stored analysis' review (empty: never shown, as in the CLI's report): each event's status
  // (confirmed, rejected, unreviewed), parallel to events, and each count's, parallel to counts
  // (whose count is then what stands after review: confirmed + unreviewed).
  std::vector<std::string> event_reviews;
  struct CountReview {
    int confirmed = 0, rejected = 0, unreviewed = 0;
  };
  std::vector<CountReview> count_reviews;
  // The events whose own explanation was checked (explanation?event=N, on the page's events table): one per
  // event and method, in event order. Empty with no event checked; not shown at all when not asked
  // (the CLI's report).
  struct EventCheck {
    int event = 0;  // its place in `events`, from 0
    std::string method;
    double window_start_s = 0, window_end_s = 0;
    std::string checks;  // in words (report_checks.h)
  };
  std::vector<EventCheck> event_checks;
  bool show_event_checks = false;
  std::vector<QualityFlag> quality;
};

// The statement every report carries.
inline constexpr const char* kReportStatement = "decision support for a trained person, not a diagnosis";

// Returns the PDF's bytes. Throws Error(bad_request) when a figure lacks its
// spectrogram or map, or they do not fit together; Error(internal) when Cairo fails.
std::vector<std::uint8_t> render_report_pdf(const ReportInput& input);

}  // namespace soundlens
