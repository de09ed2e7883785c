#include "model/trained_thresholds.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/csv_field.h"
#include "core/error.h"

namespace soundlens {
namespace {

// Splits one CSV line (quotes as csv_field writes them).
std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

double number_of(const std::string& text, bool& ok) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  ok = !text.empty() && end == text.c_str() + text.size() && std::isfinite(v);
  return v;
}

}  // namespace

std::string thresholds_csv(const std::string& model, const std::vector<std::string>& labels,
                           const std::vector<EventThreshold>& thresholds, const std::string& fitted_on) {
  std::ostringstream out;
  out << "# Event thresholds of " << model << ": made by soundlens train (do not edit by hand: its SHA-256 is in "
         "soundlens-model.json).\n"
      << "# " << fitted_on << "\n"
      << "# Per class: the window probability from which an event is placed (the file's strongest window reaching it "
         "has the best held-out F1, train_f1); low = 0.5 x threshold.\n"
      << "index,label,threshold,low,train_f1\n";
  for (const auto& t : thresholds) {
    char numbers[96];
    std::snprintf(numbers, sizeof numbers, "%.2f,%.3f,%.3f", t.threshold, t.low, t.train_f1);
    out << t.index << ',' << csv_field(labels.at(std::size_t(t.index))) << ',' << numbers << '\n';
  }
  return out.str();
}

std::vector<EventThreshold> parse_thresholds_csv(const std::string& csv, const std::vector<std::string>& labels,
                                                 const std::string& where) {
  std::istringstream in(csv);
  std::string line;
  int number = 0;
  bool header = false;
  std::vector<EventThreshold> out;
  auto bad = [&](const std::string& what) {
    throw Error(ErrorCode::model_not_loaded, where + " line " + std::to_string(number) + ": " + what);
  };
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto f = fields_of(line);
    if (!header) {
      if (line != "index,label,threshold,low,train_f1") bad("the header is not index,label,threshold,low,train_f1");
      header = true;
      continue;
    }
    if (f.size() != 5) bad("a row has " + std::to_string(f.size()) + " fields, not 5");
    bool ok_index = false, ok_t = false, ok_low = false, ok_f1 = false;
    const double index = number_of(f[0], ok_index);
    EventThreshold t;
    t.threshold = number_of(f[2], ok_t);
    t.low = number_of(f[3], ok_low);
    t.train_f1 = number_of(f[4], ok_f1);
    if (!ok_index || index != double(out.size())) bad("the row of class " + std::to_string(out.size()) + " is expected");
    if (out.size() >= labels.size()) bad("there are more rows than the model's " + std::to_string(labels.size()) + " labels");
    t.index = int(out.size());
    if (f[1] != labels[out.size()])
      bad("class " + f[0] + " is " + quoted_value(labels[out.size()]) + ", not " + quoted_value(f[1]));
    if (!ok_t || !ok_low || !ok_f1 || !(t.low > 0) || !(t.low <= t.threshold) || !(t.threshold < 1))
      bad("the threshold and low must be numbers with 0 < low <= threshold < 1");
    out.push_back(t);
  }
  if (!header) bad("it has no header");
  if (out.size() != labels.size())
    throw Error(ErrorCode::model_not_loaded, where + " has " + std::to_string(out.size()) + " rows for " +
                                                 std::to_string(labels.size()) + " labels");
  return out;
}

}  // namespace soundlens
