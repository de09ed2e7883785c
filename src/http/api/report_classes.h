#pragma once
// What the page looked at, for the report: GET .../report.pdf?classes=47,49
// names the classes the page pinned or viewed; the report then draws each
// with every method the server computed for it (report_explanations.h)
// instead of the analysis' own top classes. Internal to http.
#include <string>
#include <vector>

namespace soundlens::http {

// The most classes one report is of (each a figure per method computed for it).
inline constexpr std::size_t kMaxReportClasses = 8;

// Class indices, comma-separated, duplicates dropped, in the order given. Error(bad_request) naming
// `classes` for an empty item, one that is not a plain index below `classes_of_model` (a name, a sign,
// a leading zero, a huge number) or more than kMaxReportClasses; the value is quoted cut and escaped.
std::vector<int> parse_report_classes(const std::string& text, std::size_t classes_of_model);

// The indices back as text ("47,49"): the report's cache key names them.
std::string report_classes_text(const std::vector<int>& classes);

}  // namespace soundlens::http
