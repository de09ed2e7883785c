#include "exports/reviewed_clips.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "exports/exports.h"

namespace soundlens {
namespace {

std::string trimmed(std::string s, std::string_view what) {
  const auto first = s.find_first_not_of(what);
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(what) - first + 1);
}

// ASCII letters, digits, '-' and '_' of the file name's stem; the rest as '_'.
std::string safe_stem(const std::string& name) {
  std::string base = name.substr(name.find_last_of("/\\") == std::string::npos ? 0 : name.find_last_of("/\\") + 1);
  if (const auto dot = base.rfind('.'); dot != std::string::npos && dot > 0) base.resize(dot);
  std::string out;
  for (unsigned char c : base) out += std::isalnum(c) || c == '-' || c == '_' ? char(c) : '_';
  out = trimmed(out, "_");
  if (out.size() > 60) out.resize(60);
  return out.empty() ? "recording" : out;
}

std::string number(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

}  // namespace

std::string label_folder(const std::string& label) {
  std::string out;
  for (unsigned char c : label)
    out += c < 0x20 || c == 0x7f || std::string_view("/\\:*?\"<>|").find(char(c)) != std::string_view::npos ? '_'
                                                                                                           : char(c);
  out = trimmed(out, ". ");
  return out.empty() ? "_" : out;
}

std::vector<ClipPlan> confirmed_clips(std::span<const Event> events, std::span<const EventReview> reviews,
                                      const std::string& recording_name, int sample_rate) {
  std::vector<ClipPlan> out;
  const std::string stem = safe_stem(recording_name);
  for (std::size_t i = 0; i < events.size() && i < reviews.size(); ++i) {
    if (reviews[i].status != "confirmed") continue;
    const Event e = reviewed_event(events[i], reviews[i]);
    if (!(e.offset_s - e.onset_s >= 1.0 / std::max(1, sample_rate))) continue;
    const long onset_ms = std::lround(e.onset_s * 1000);
    out.push_back({label_folder(e.label) + "/" + stem + "_e" + std::to_string(i) + "_" + std::to_string(onset_ms) + "ms.wav",
                   int(i), e});
  }
  return out;
}

std::string clips_manifest_csv(std::span<const ClipPlan> clips) {
  std::string out = "file,index,label,onset_s,offset_s,event_index,probability\r\n";
  for (const auto& c : clips)
    out += csv_field(c.path) + ',' + std::to_string(c.event.index) + ',' + csv_field(c.event.label) + ',' +
           number(c.event.onset_s, 3) + ',' + number(c.event.offset_s, 3) + ',' + std::to_string(c.event_index) + ',' +
           number(c.event.probability, 4) + "\r\n";
  return out;
}

}  // namespace soundlens
