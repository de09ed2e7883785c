#pragma once
// 16-bit mono FLAC written as samples arrive (a live session's recording).
// Each flush() hands the frames encoded so far to the system: a file cut off
// after a flush still decodes to its flushed samples (its header, rewritten by
// close(), then gives no length; FLAC decoders read on to the end).
#include <memory>
#include <span>
#include <string>

namespace soundlens {

class FlacWriter {
 public:
  // Error(bad_request) when the file cannot be created; Error(internal) if FFmpeg has no FLAC encoder.
  FlacWriter(const std::string& path, int sample_rate);
  ~FlacWriter();
  FlacWriter(const FlacWriter&) = delete;
  FlacWriter& operator=(const FlacWriter&) = delete;
  void write(std::span<const float> samples);  // [-1, 1), clipped and rounded as encode_wav_pcm16
  void flush();
  void close();  // the last frame, the header's length and checksum

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace soundlens
