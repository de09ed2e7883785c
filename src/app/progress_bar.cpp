#include "app/progress_bar.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace soundlens {
namespace {

std::string clock_text(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char text[32];
  if (s >= 3600) std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  return text;
}

int terminal_columns() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col >= 20) return size.ws_col;
  return 80;
}

}  // namespace

ProgressEstimate estimate_progress(double done_seconds, std::uintmax_t done_bytes, std::uintmax_t left_bytes,
                                   double elapsed_s) {
  ProgressEstimate e;
  double done = double(done_bytes), total = double(done_bytes + left_bytes);
  if (done_seconds > 0 && done_bytes > 0) {
    done = done_seconds;
    total = done_seconds + double(left_bytes) * done_seconds / double(done_bytes);
  }
  e.fraction = total > 0 ? std::clamp(done / total, 0.0, 1.0) : 1.0;
  if (e.fraction > 0) e.eta_s = elapsed_s * (1 - e.fraction) / e.fraction;
  return e;
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

ProgressBar::ProgressBar(std::ostream& out, bool terminal, std::size_t files, std::uintmax_t bytes)
    : out_(out), terminal_(terminal), files_(files), bytes_(bytes) {}

void ProgressBar::start(const std::string& file) {
  if (terminal_) draw(file);
}

void ProgressBar::finish(const std::string& file, std::uintmax_t bytes, double seconds, const std::string& status) {
  ++done_files_;
  done_bytes_ += bytes;
  done_seconds_ += seconds;
  const bool failed = status.starts_with("failed");
  // On a terminal a failure stays above the redrawn line; the rest only moves the bar.
  if (terminal_ && !failed) return draw("");
  std::string line = '[' + std::to_string(done_files_) + '/' + std::to_string(files_) + "] " + file + ": " + status;
  if (terminal_) line.resize(std::max(line.size(), std::size_t(terminal_columns() - 1)), ' ');
  out_ << (terminal_ ? "\r" : "") << line << std::endl;
  if (terminal_) draw("");
}

void ProgressBar::draw(const std::string& current) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const auto e = estimate_progress(done_seconds_, done_bytes_, bytes_ - std::min(bytes_, done_bytes_), elapsed);
  char head[96];
  std::snprintf(head, sizeof head, "[%zu/%zu] %3.0f%% ETA %s ", done_files_, files_, 100 * e.fraction,
                e.eta_s ? clock_text(*e.eta_s).c_str() : "--:--");
  std::string line = head;
  // The file name's tail fits the rest of the line ("...sub/long_name.wav").
  const std::size_t room = std::size_t(std::max(10, terminal_columns() - 1 - int(line.size())));
  line += current.size() <= room ? current : "..." + current.substr(current.size() - (room - 3));
  line.resize(std::size_t(terminal_columns() - 1), ' ');
  out_ << '\r' << line << std::flush;
}

void ProgressBar::close() {
  if (terminal_) out_ << '\n' << std::flush;
}

}  // namespace soundlens
