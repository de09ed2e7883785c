#pragma once
// Internal to the render stage: text flowing down A4 pages of a Cairo PDF,
// shared by the analysis report and the evaluation report.
#include <cairo.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace soundlens::render {

inline constexpr double kPageW = 595.28, kPageH = 841.89;  // A4 in points
inline constexpr double kMargin = 48;
inline constexpr double kBody = 9.5, kHeading = 13, kLine = 13.5;

// printf of one number, e.g. fmt("%.3f", p).
std::string fmt(const char* pattern, double v);

// Cairo's write callback appending to a std::vector<std::uint8_t>.
cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length);

// Text flowing down the pages, with a new page whenever the next block does not fit.
class Pages {
 public:
  explicit Pages(cairo_t* cr) : cr_(cr) {}
  cairo_t* cr() const { return cr_; }
  double y() const { return y_; }
  void advance(double dy) { y_ += dy; }
  void need(double height);
  void heading(const std::string& text);
  // One line of cells, each starting at its x (points from the left margin).
  void row(const std::vector<std::string>& cells, const std::vector<double>& xs, bool bold = false);
  // A paragraph wrapped at word boundaries to the text width.
  void paragraph(const std::string& text, bool bold = false);

 private:
  cairo_t* cr_;
  double y_ = kMargin;
};

// A whole PDF: A4 pages titled `title` (its metadata), made by soundlens `version`, opening with
// `heading` in large type, then what `fill` writes. Error(internal) when Cairo cannot write it.
std::vector<std::uint8_t> pdf_document(const std::string& title, const std::string& version,
                                       const std::string& heading, const std::function<void(Pages&)>& fill);

// Name and value rows.
void pairs(Pages& p, const std::vector<std::pair<std::string, std::string>>& rows);

}  // namespace soundlens::render
