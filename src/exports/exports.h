#pragma once
// Plain-text exports of an analysis: the events as CSV, the per-window
// probabilities as CSV, a Raven selection table and an Audacity label track.
// Each returns the whole file's text.
#include <span>
#include <string>

#include "analysis/analysis_values.h"
#include "events/event.h"
#include "core/csv_field.h"
#include "exports/review.h"

namespace soundlens {


// RFC 4180 CSV, header
// index,label,onset_s,offset_s,probability,low_hz,high_hz
std::string write_events_csv(std::span<const Event> events);

// RFC 4180 CSV, header start_s,end_s,<label of each class>; one row per window.
std::string write_windows_csv(std::span<const TimelineWindow> timeline, std::span<const Prediction> classes);

// Raven Pro selection table (tab-separated, one selection per event, all on
// the spectrogram view of channel 1), which Sonic Visualiser also imports:
// Selection, View, Channel, Begin Time (s), End Time (s), Low Freq (Hz),
// High Freq (Hz), Class, Class Index, Probability.
std::string write_raven(std::span<const Event> events);

// Audacity label track with spectral selections: per event a line
// start<TAB>end<TAB>label (seconds), then \<TAB>low<TAB>high (Hz, the event's
// band), as Audacity writes and reads labels that have a frequency range.
std::string write_audacity(std::span<const Event> events);

// The same three with each event's review (reviews[i] of events[i]; missing ones are unreviewed):
// the reviewed class and times replace the detected ones, and the status is a column of its own
// (CSV: a last column `review`; Raven: a last column `Review`); Audacity has no columns, so a
// reviewed event's label ends in " (confirmed)" or " (rejected)". Rejected events stay listed.
std::string write_events_csv(std::span<const Event> events, std::span<const EventReview> reviews);
std::string write_raven(std::span<const Event> events, std::span<const EventReview> reviews);
std::string write_audacity(std::span<const Event> events, std::span<const EventReview> reviews);

}  // namespace soundlens
