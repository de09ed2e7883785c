#include "exports/exports.h"

#include <cstdio>

namespace soundlens {
namespace {

std::string number(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// Tab-separated formats have no quoting: tabs and line breaks become spaces.
std::string tsv_field(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}

}  // namespace

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string write_events_csv(std::span<const Event> events) {
  std::string out = "index,label,onset_s,offset_s,probability,low_hz,high_hz\r\n";
  for (const auto& e : events)
    out += std::to_string(e.index) + ',' + csv_field(e.label) + ',' + number(e.onset_s, 3) + ',' +
           number(e.offset_s, 3) + ',' + number(e.probability, 4) + ',' + number(e.low_hz, 1) + ',' +
           number(e.high_hz, 1) + "\r\n";
  return out;
}

std::string write_windows_csv(std::span<const TimelineWindow> timeline, std::span<const Prediction> classes) {
  std::string out = "start_s,end_s";
  for (const auto& c : classes) out += ',' + csv_field(c.label);
  out += "\r\n";
  for (const auto& w : timeline) {
    out += number(w.start_s, 3) + ',' + number(w.end_s, 3);
    for (const auto& c : classes) {
      const auto i = std::size_t(c.index);
      out += ',' + (i < w.probabilities.size() ? number(w.probabilities[i], 4) : std::string());
    }
    out += "\r\n";
  }
  return out;
}

std::string write_raven(std::span<const Event> events) {
  std::string out =
      "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tClass\tClass Index"
      "\tProbability\n";
  int selection = 0;
  for (const auto& e : events)
    out += std::to_string(++selection) + "\tSpectrogram 1\t1\t" + number(e.onset_s, 6) + '\t' + number(e.offset_s, 6) +
           '\t' + number(e.low_hz, 1) + '\t' + number(e.high_hz, 1) + '\t' + tsv_field(e.label) + '\t' +
           std::to_string(e.index) + '\t' + number(e.probability, 4) + '\n';
  return out;
}

std::string write_audacity(std::span<const Event> events) {
  std::string out;
  for (const auto& e : events) {
    out += number(e.onset_s, 6) + '\t' + number(e.offset_s, 6) + '\t' + tsv_field(e.label) + '\n';
    out += "\\\t" + number(e.low_hz, 6) + '\t' + number(e.high_hz, 6) + '\n';  // the band: a spectral selection
  }
  return out;
}

}  // namespace soundlens
