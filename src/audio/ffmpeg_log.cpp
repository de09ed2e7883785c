#include "audio/ffmpeg_handles.h"

#include <cstdarg>
#include <mutex>

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
}

namespace soundlens::audio_detail {
namespace {

// Per thread, because several analyses decode at once and each error message
// must quote its own decoder's complaint.
thread_local std::string last_error_line;

// FFmpeg's own prefix carries an object address ("[mp3 @ 0x55..]"), which
// is noise in a user-facing message; keep just the component's name.
std::string component_name(void* avcl) {
  if (!avcl) return {};
  const AVClass* cls = *static_cast<const AVClass* const*>(avcl);
  if (!cls || !cls->item_name) return {};
  const char* name = cls->item_name(avcl);
  return name ? std::string(name) + ": " : std::string();
}

void capture(void* avcl, int level, const char* fmt, va_list args) {
  if (level > AV_LOG_ERROR) return;
  char line[1024];
  int print_prefix = 0;
  va_list copy;
  va_copy(copy, args);
  av_log_format_line2(nullptr, level, fmt, copy, line, sizeof line, &print_prefix);
  va_end(copy);
  std::string text = component_name(avcl) + line;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  if (!text.empty()) last_error_line = std::move(text);
}

}  // namespace

std::string av_error_text(int code) {
  char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, buffer, sizeof buffer);
  return buffer;
}

void install_ffmpeg_log_capture() {
  static std::once_flag once;
  std::call_once(once, [] {
    av_log_set_level(AV_LOG_ERROR);
    av_log_set_callback(capture);
  });
}

void clear_last_ffmpeg_log() { last_error_line.clear(); }

std::string last_ffmpeg_log() { return last_error_line; }

}  // namespace soundlens::audio_detail
