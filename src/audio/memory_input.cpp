#include "audio/memory_input.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <new>

extern "C" {
#include <libavutil/mem.h>
}

namespace soundlens::audio_detail {
namespace {
constexpr int kBufferSize = 64 * 1024;
}

MemoryInput::MemoryInput(std::span<const std::uint8_t> bytes) : bytes_(bytes) {
  auto* buffer = static_cast<unsigned char*>(av_malloc(kBufferSize));
  if (!buffer) throw std::bad_alloc();
  io_ = avio_alloc_context(buffer, kBufferSize, /*write_flag=*/0, this, &MemoryInput::read, nullptr,
                           &MemoryInput::seek);
  if (!io_) {
    av_free(buffer);
    throw std::bad_alloc();
  }
}

MemoryInput::~MemoryInput() {
  // FFmpeg may have swapped in a buffer of its own, so free whatever is there now.
  av_freep(&io_->buffer);
  avio_context_free(&io_);
}

int MemoryInput::read(void* opaque, std::uint8_t* buffer, int size) {
  auto* self = static_cast<MemoryInput*>(opaque);
  const auto total = static_cast<std::int64_t>(self->bytes_.size());
  const auto n = std::min<std::int64_t>(size, total - self->position_);
  if (n <= 0) return AVERROR_EOF;
  std::memcpy(buffer, self->bytes_.data() + self->position_, static_cast<std::size_t>(n));
  self->position_ += n;
  return static_cast<int>(n);
}

// WAV and MP4 demuxers seek (to the data chunk, to the moov atom at the end),
// so a read-only callback is not enough for them.
std::int64_t MemoryInput::seek(void* opaque, std::int64_t offset, int whence) {
  auto* self = static_cast<MemoryInput*>(opaque);
  const auto total = static_cast<std::int64_t>(self->bytes_.size());
  if (whence & AVSEEK_SIZE) return total;
  std::int64_t target = 0;
  switch (whence & ~AVSEEK_FORCE) {
    case SEEK_SET: target = offset; break;
    case SEEK_CUR: target = self->position_ + offset; break;
    case SEEK_END: target = total + offset; break;
    default: return AVERROR(EINVAL);
  }
  if (target < 0 || target > total) return AVERROR(EINVAL);
  self->position_ = target;
  return target;
}

}  // namespace soundlens::audio_detail
