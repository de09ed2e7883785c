#pragma once
// The confirmed events of a reviewed recording as labelled clips: one folder
// per class, one WAV file per event, the layout a training folder has
// (DIR/<label>/<file>.wav), with a manifest (clips.csv). Which clips and
// their names; the caller cuts the audio and writes the archive.
#include <span>
#include <string>
#include <vector>

#include "events/event.h"
#include "exports/review.h"

namespace soundlens {

struct ClipPlan {
  std::string path;  // in the archive: "<label folder>/<recording stem>_e<event>_<onset ms>ms.wav"
  int event_index = 0;
  Event event;       // as reviewed: its class and times
};

// A class name as a folder name: the same words, with characters no file system takes
// (/ \ : * ? " < > | and control bytes) as '_', no leading or trailing dots or spaces.
std::string label_folder(const std::string& label);

// The confirmed events (reviews[i] of events[i]) in event order, as reviewed; clips shorter
// than one sample at `sample_rate` are left out. recording_name: the uploaded file's name
// (its stem, made safe, starts each clip's name; "recording" without one).
std::vector<ClipPlan> confirmed_clips(std::span<const Event> events, std::span<const EventReview> reviews,
                                      const std::string& recording_name, int sample_rate);

// RFC 4180 CSV, header file,index,label,onset_s,offset_s,event_index,probability.
std::string clips_manifest_csv(std::span<const ClipPlan> clips);

}  // namespace soundlens
