#include "http/api/history_params.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "http/api/json_body.h"

namespace soundlens::http {
namespace {

constexpr std::size_t max_note_bytes = 2000;
constexpr std::size_t max_labels = 20;
constexpr std::size_t max_label_bytes = 64;
constexpr std::size_t max_filter_bytes = 200;

[[noreturn]] void bad(const std::string& message) { throw Error(ErrorCode::bad_request, message); }

// YYYY-MM-DD with a real month and day.
bool is_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  const int month = std::stoi(s.substr(5, 2)), day = std::stoi(s.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

std::string filter_param(const Request& request, const std::string& name) {
  const std::string value = request.param(name).value_or("");
  if (value.size() > max_filter_bytes)
    bad("parameter " + name + " is longer than " + std::to_string(max_filter_bytes) + " bytes");
  return value;
}

std::string date_param(const Request& request, const std::string& name) {
  const std::string value = filter_param(request, name);
  if (!value.empty() && !is_date(value))
    bad("invalid value " + quoted_value(value) + " for parameter " + name + ": expected a date as YYYY-MM-DD");
  return value;
}

bool has_control(const std::string& text, bool allow_newlines) {
  for (unsigned char c : text)
    if ((c < 0x20 && !(allow_newlines && (c == '\n' || c == '\t'))) || c == 0x7f) return true;
  return false;
}

}  // namespace

AnalysisFilter history_filter(const Request& request) {
  AnalysisFilter filter;
  filter.text = filter_param(request, "q");
  filter.class_key = filter_param(request, "class");
  filter.label = filter_param(request, "label");
  filter.from_date = date_param(request, "from");
  filter.to_date = date_param(request, "to");
  if (!filter.from_date.empty() && !filter.to_date.empty() && filter.to_date < filter.from_date)
    bad("parameter to (" + filter.to_date + ") is before from (" + filter.from_date + ")");
  return filter;
}

AnalysisNotes analysis_notes(const std::string& json_body) {
  const auto body = json_object_body(json_body, "{\"note\": \"...\", \"labels\": [\"...\"]}");
  AnalysisNotes notes;
  for (const auto& [name, value] : body.items()) {
    if (name == "note") {
      if (!value.is_string()) bad("note must be a string");
      const std::string note = value.get<std::string>();
      if (note.size() > max_note_bytes) bad("note is longer than " + std::to_string(max_note_bytes) + " bytes");
      if (has_control(note, true)) bad("note contains a control character");
      notes.note = note;
    } else if (name == "labels") {
      if (!value.is_array()) bad("labels must be an array of strings");
      if (value.size() > max_labels) bad("at most " + std::to_string(max_labels) + " labels");
      std::vector<std::string> labels;
      for (const auto& label : value) {
        if (!label.is_string()) bad("labels must be an array of strings");
        const std::string text = label.get<std::string>();
        if (text.empty() || text.size() > max_label_bytes)
          bad("a label must have 1 to " + std::to_string(max_label_bytes) + " bytes (got " +
              quoted_value(text) + ")");
        if (has_control(text, false)) bad("label " + quoted_value(text) + " contains a control character");
        if (std::find(labels.begin(), labels.end(), text) == labels.end()) labels.push_back(text);
      }
      notes.labels = labels;
    } else {
      bad("unknown field " + quoted_value(name) + " (only note and labels can be changed)");
    }
  }
  if (!notes.note && !notes.labels) bad("nothing to change: give note and/or labels");
  return notes;
}

}  // namespace soundlens::http
