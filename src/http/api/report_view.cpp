#include "http/api/report_view.h"

#include <algorithm>

#include "core/error.h"
#include "explain/method_names.h"

namespace soundlens::http {
namespace {

[[noreturn]] void bad(const std::string& message) {
  throw Error(ErrorCode::bad_request, "invalid value for parameter view: " + message +
                                          " (expected CLASS:METHOD items such as 47:gradcam,49:layercam)");
}

int class_index(const std::string& text, int classes) {
  const bool digits = !text.empty() && text.size() <= 6 && (text.size() == 1 || text[0] != '0') &&
                      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) bad("class " + quoted_value(text) + " is not a class index");
  const int index = std::stoi(text);
  if (index >= classes) bad("class " + text + " is not a class of the model (0-" + std::to_string(classes - 1) + ")");
  return index;
}

}  // namespace

std::vector<ViewedClass> parse_report_view(const std::string& text, int classes) {
  std::vector<ViewedClass> out;
  if (text.empty()) bad("it is empty");
  const auto methods = explanation_method_names();
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, end - start);
    start = end + 1;
    if (item.empty()) bad("an empty item");
    const std::size_t colon = item.find(':');
    ViewedClass v{class_index(item.substr(0, colon), classes),
                  colon == std::string::npos ? "gradcam" : item.substr(colon + 1)};
    if (std::find(methods.begin(), methods.end(), v.method) == methods.end()) {
      std::string known;
      for (const auto& m : methods) known += (known.empty() ? "" : ", ") + m;
      bad("method " + quoted_value(v.method) + " is not one of " + known);
    }
    const bool seen = std::any_of(out.begin(), out.end(),
                                  [&](const ViewedClass& o) { return o.index == v.index && o.method == v.method; });
    if (!seen) out.push_back(std::move(v));
    if (out.size() > kMaxReportViews)
      bad("more than " + std::to_string(kMaxReportViews) + " classes (a report draws at most that many figures)");
  }
  return out;
}

std::string report_view_text(const std::vector<ViewedClass>& view) {
  std::string out;
  for (const auto& v : view) out += (out.empty() ? "" : ",") + std::to_string(v.index) + ":" + v.method;
  return out;
}

}  // namespace soundlens::http
