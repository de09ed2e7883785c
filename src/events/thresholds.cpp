#include "events/thresholds.h"

#include <map>
#include <sstream>

#include "core/error.h"

namespace soundlens {

// Generated from data/ by cmake/embed_tables.cmake: file name under data/ -> its text.
const std::map<std::string, std::string>& embedded_event_tables();

namespace {

// The data rows of a CSV text: no comments, no header (its first field is not a number).
std::vector<std::pair<int, std::vector<std::string>>> rows_of(const std::string& csv) {
  std::vector<std::pair<int, std::vector<std::string>>> out;
  std::istringstream in(csv);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::string field;
    std::istringstream cells(line);
    while (std::getline(cells, field, ',')) fields.push_back(field);
    if (fields.empty() || fields[0].empty() || !std::isdigit(static_cast<unsigned char>(fields[0][0]))) continue;
    out.push_back({number, std::move(fields)});
  }
  return out;
}

[[noreturn]] void bad_row(const std::string& table, int line, const std::string& why) {
  throw Error(ErrorCode::internal, "the event table " + table + " line " + std::to_string(line) + ": " + why);
}

double number_of(const std::string& text, const std::string& table, int line) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) bad_row(table, line, "'" + text + "' is not a number");
  return v;
}

std::string table_text(const std::string& name) {
  const auto& tables = embedded_event_tables();
  const auto it = tables.find(name);
  return it == tables.end() ? std::string() : it->second;
}

}  // namespace

std::vector<ClassRule> parse_class_rules(const std::string& csv, const std::string& table) {
  std::vector<ClassRule> out;
  for (const auto& [line, f] : rows_of(csv)) {
    if (f.size() < 4) bad_row(table, line, "expected index,label,threshold,low");
    ClassRule r{int(number_of(f[0], table, line)), number_of(f[2], table, line), number_of(f[3], table, line)};
    if (!(r.low >= 0 && r.low <= r.threshold && r.threshold <= 1)) bad_row(table, line, "needs 0 <= low <= threshold <= 1");
    out.push_back(r);
  }
  return out;
}

std::vector<std::pair<int, int>> parse_related_classes(const std::string& csv, const std::string& table) {
  std::vector<std::pair<int, int>> out;
  for (const auto& [line, f] : rows_of(csv)) {
    if (f.size() < 4) bad_row(table, line, "expected index_a,label_a,index_b,label_b,why");
    out.push_back({int(number_of(f[0], table, line)), int(number_of(f[2], table, line))});
  }
  return out;
}

std::vector<ClassRule> model_class_rules(const std::string& model) {
  const std::string name = "thresholds/" + model + ".csv";
  return parse_class_rules(table_text(name), name);
}

std::vector<TableCell> class_table_column(const std::string& model, const std::string& column) {
  const std::string name = "thresholds/" + model + ".csv";
  const std::string text = table_text(name);
  std::istringstream in(text);
  std::string line;
  int at = -1;
  while (at < 0 && std::getline(in, line)) {  // the header: the first line that is not a comment
    if (line.empty() || line[0] == '#') continue;
    std::istringstream cells(line);
    std::string field;
    for (int i = 0; std::getline(cells, field, ','); ++i)
      if (field == column) at = i;
    if (at < 0) return {};
  }
  std::vector<TableCell> out;
  for (const auto& [number, f] : rows_of(text)) {
    if (std::size_t(at) >= f.size()) bad_row(name, number, "no " + column + " value");
    out.push_back({int(number_of(f[0], name, number)), f[std::size_t(at)], number});
  }
  return out;
}

const std::vector<std::pair<int, int>>& related_classes() {
  static const auto pairs = parse_related_classes(table_text("events/related.csv"), "events/related.csv");
  return pairs;
}

}  // namespace soundlens
