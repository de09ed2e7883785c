#include "model/labels.h"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "core/error.h"

namespace soundlens {
namespace {

// One CSV line; fields may be quoted ("Railroad car, train wagon").
std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') fields.back() += '"', ++i;
      else quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

}  // namespace

Labels Labels::load_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorCode::model_not_loaded, "cannot read class labels " + path);
  Labels labels;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty() || line == "\r") continue;
    const auto f = split_csv_line(line);
    if (f.size() < 3) throw Error(ErrorCode::model_not_loaded, "malformed line in " + path + ": " + line);
    const int index = std::stoi(f[0]);
    if (index != labels.size()) throw Error(ErrorCode::model_not_loaded, "class indices out of order in " + path);
    labels.labels_.push_back({index, f[1], f[2]});
  }
  return labels;
}

std::optional<int> Labels::find(const std::string& index_or_name) const {
  if (!index_or_name.empty() && std::all_of(index_or_name.begin(), index_or_name.end(), ::isdigit)) {
    const long i = std::strtol(index_or_name.c_str(), nullptr, 10);
    if (i >= 0 && i < size()) return int(i);
    return std::nullopt;
  }
  const auto wanted = lower(index_or_name);
  for (const auto& l : labels_)
    if (lower(l.display_name) == wanted) return l.index;
  return std::nullopt;
}

Labels Labels::from_names(const std::vector<std::string>& names) {
  Labels labels;
  for (std::size_t i = 0; i < names.size(); ++i) labels.labels_.push_back({int(i), "", names[i]});
  return labels;
}

}  // namespace soundlens
