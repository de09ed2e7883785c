#include "http/api/report_classes.h"

#include <algorithm>

#include "core/error.h"
#include "http/api/request_params.h"

namespace soundlens::http {
namespace {

[[noreturn]] void bad(const std::string& message) {
  throw Error(ErrorCode::bad_request, "invalid value for parameter classes: " + message +
                                          " (expected class indices of the model, comma-separated, such as 47,49)");
}

int class_index(const std::string& text, std::size_t classes_of_model) {
  const auto parsed = plain_index(text);
  if (!parsed) bad("class " + quoted_value(text) + " is not a class index");
  const int index = *parsed;
  if (std::size_t(index) >= classes_of_model)
    bad("class " + text + " is not a class of the model (0-" + std::to_string(classes_of_model - 1) + ")");
  return index;
}

}  // namespace

std::vector<int> parse_report_classes(const std::string& text, std::size_t classes_of_model) {
  if (text.empty()) bad("it is empty");
  std::vector<int> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, end - start);
    start = end + 1;
    if (item.empty()) bad("an empty item");
    const int index = class_index(item, classes_of_model);
    if (std::find(out.begin(), out.end(), index) == out.end()) out.push_back(index);
    if (out.size() > kMaxReportClasses)
      bad("more than " + std::to_string(kMaxReportClasses) + " classes (a report is of at most that many)");
  }
  return out;
}

std::string report_classes_text(const std::vector<int>& classes) {
  std::string out;
  for (int c : classes) out += (out.empty() ? "" : ",") + std::to_string(c);
  return out;
}

}  // namespace soundlens::http
