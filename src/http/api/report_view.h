#pragma once
// What the page looked at, for the report: GET .../report.pdf?view=47:gradcam,49:layercam
// names the classes the page pinned or explained, each with the method it was
// shown with; the report then draws those figures (with the checks computed
// for them, reusing the explanations the page asked for) instead of the
// analysis' own top classes. Internal to http.
#include <optional>
#include <string>
#include <vector>

namespace soundlens::http {

struct ViewedClass {
  int index = 0;
  std::string method;  // one of explanation_method_names()
};

// The most classes one report draws (each a figure, and an explanation to compute when not cached).
inline constexpr std::size_t kMaxReportViews = 8;

// "CLASS:METHOD" items (":METHOD" may be left out: gradcam), comma-separated, duplicates
// dropped, in the order given. Error(bad_request) naming `view` for an empty item, a class
// that is not a plain index below `classes`, an unknown method or more than kMaxReportViews.
std::vector<ViewedClass> parse_report_view(const std::string& text, int classes);

// The items back as text, "47:gradcam,49:layercam": the report's cache key names them.
std::string report_view_text(const std::vector<ViewedClass>& view);

}  // namespace soundlens::http
