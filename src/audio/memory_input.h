#pragma once
// Private to the audio stage: an AVIOContext that reads from a caller-owned
// byte buffer, so uploads decode without a temporary file.
#include <cstdint>
#include <span>

#include "audio/ffmpeg_handles.h"

namespace soundlens::audio_detail {

class MemoryInput {
 public:
  // `bytes` must outlive this object and any AVFormatContext using context().
  explicit MemoryInput(std::span<const std::uint8_t> bytes);
  ~MemoryInput();
  MemoryInput(const MemoryInput&) = delete;
  MemoryInput& operator=(const MemoryInput&) = delete;

  AVIOContext* context() const { return io_; }

 private:
  static int read(void* opaque, std::uint8_t* buffer, int size);
  static std::int64_t seek(void* opaque, std::int64_t offset, int whence);

  std::span<const std::uint8_t> bytes_;
  std::int64_t position_ = 0;
  AVIOContext* io_ = nullptr;
};

}  // namespace soundlens::audio_detail
