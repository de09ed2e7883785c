#pragma once
// The progress of a folder batch on stderr. On a terminal: one line redrawn
// with '\r' (files done/total, percent by audio duration, ETA, the current
// file); otherwise one plain line per finished file, for logs.
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace soundlens {

// The fraction of the work done, by audio duration where known: the files
// done count with their decoded duration; the ones left with their bytes at
// the seconds per byte seen so far (by bytes alone until a duration is known).
struct ProgressEstimate {
  double fraction = 0;
  std::optional<double> eta_s;  // once something is done
};
ProgressEstimate estimate_progress(double done_seconds, std::uintmax_t done_bytes, std::uintmax_t left_bytes,
                                   double elapsed_s);

class ProgressBar {
 public:
  ProgressBar(std::ostream& out, bool terminal, std::size_t files, std::uintmax_t bytes);
  void start(const std::string& file);
  // `seconds`: the file's audio duration (0 when unknown, e.g. it failed).
  void finish(const std::string& file, std::uintmax_t bytes, double seconds, const std::string& status);
  void close();  // ends the redrawn line

 private:
  void draw(const std::string& current);
  std::ostream& out_;
  bool terminal_;
  std::size_t files_, done_files_ = 0;
  std::uintmax_t bytes_, done_bytes_ = 0;
  double done_seconds_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// True when stderr is a terminal.
bool stderr_is_terminal();

}  // namespace soundlens
