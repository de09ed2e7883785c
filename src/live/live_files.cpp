#include "live/live_files.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "audio/flac_writer.h"
#include "audio/wav_writer.h"
#include "core/error.h"
#include "exports/exports.h"

namespace soundlens {
namespace {

constexpr std::size_t kWavHeader = 44;  // encode_wav_pcm16's plain header

std::FILE* create(const std::string& path, const char* option) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw Error(ErrorCode::bad_request, std::string(option) + " " + quoted_value(path) + ": cannot create it (" +
                                                  std::strerror(errno) + ")");
  return f;
}

void put(std::FILE* f, const void* data, std::size_t n, const std::string& path) {
  if (n && std::fwrite(data, 1, n, f) != n) throw Error(ErrorCode::internal, "writing " + path + " failed");
}

}  // namespace

namespace {

class FlacRecorder : public Recorder {
 public:
  FlacRecorder(const std::string& path, int sample_rate) : writer_(path, sample_rate) {}
  void write(std::span<const float> samples) override { writer_.write(samples); }
  void flush() override { writer_.flush(); }
  void close() override { writer_.close(); }

 private:
  FlacWriter writer_;
};

}  // namespace

std::unique_ptr<Recorder> open_recorder(const std::string& path, int sample_rate) {
  const auto extension = std::filesystem::path(path).extension();
  if (extension == ".wav") return std::make_unique<WavRecorder>(path, sample_rate);
  if (extension == ".flac") return std::make_unique<FlacRecorder>(path, sample_rate);
  throw Error(ErrorCode::bad_request, "--record " + quoted_value(path) + ": the name must end in .wav or .flac "
                                                                         "(16-bit, 32 kHz mono)");
}

WavRecorder::WavRecorder(const std::string& path, int sample_rate) : path_(path), rate_(sample_rate) {
  const auto header = encode_wav_pcm16({}, sample_rate);  // checks the rate
  file_ = create(path, "--record");
  put(file_, header.data(), header.size(), path_);
  std::fflush(file_);
}

WavRecorder::~WavRecorder() {
  try {
    close();
  } catch (...) {
  }
}

void WavRecorder::write(std::span<const float> samples) {
  if (!file_ || samples.empty()) return;
  const auto bytes = encode_wav_pcm16(samples, rate_);  // the same rounding and clipping as every WAV we write
  put(file_, bytes.data() + kWavHeader, bytes.size() - kWavHeader, path_);
  samples_ += samples.size();
}

void WavRecorder::flush() {
  if (!file_) return;
  std::fflush(file_);
  const long end = std::ftell(file_);
  // The header of a file of samples_ samples: its two sizes at bytes 4 and 40.
  const std::uint64_t data = std::uint64_t(samples_) * 2;
  const std::uint32_t riff = std::uint32_t(std::min<std::uint64_t>(data + kWavHeader - 8, 0xffffffffULL));
  const std::uint32_t data32 = std::uint32_t(std::min<std::uint64_t>(data, 0xffffffffULL - kWavHeader));
  const std::uint8_t le_riff[4] = {std::uint8_t(riff), std::uint8_t(riff >> 8), std::uint8_t(riff >> 16), std::uint8_t(riff >> 24)};
  const std::uint8_t le_data[4] = {std::uint8_t(data32), std::uint8_t(data32 >> 8), std::uint8_t(data32 >> 16),
                                   std::uint8_t(data32 >> 24)};
  std::fseek(file_, 4, SEEK_SET);
  put(file_, le_riff, 4, path_);
  std::fseek(file_, 40, SEEK_SET);
  put(file_, le_data, 4, path_);
  std::fseek(file_, end, SEEK_SET);
  std::fflush(file_);
}

void WavRecorder::close() {
  if (!file_) return;
  flush();
  std::fclose(file_);
  file_ = nullptr;
}

EventsCsvFile::EventsCsvFile(const std::string& path) : path_(path) {
  file_ = create(path, "--events-csv");
  const std::string header = write_events_csv({});
  put(file_, header.data(), header.size(), path_);
  std::fflush(file_);
}

EventsCsvFile::~EventsCsvFile() { close(); }

void EventsCsvFile::add(const Event& e) {
  if (!file_) return;
  const std::string header = write_events_csv({});
  const std::string text = write_events_csv(std::span<const Event>(&e, 1)).substr(header.size());
  put(file_, text.data(), text.size(), path_);
  std::fflush(file_);
}

void EventsCsvFile::close() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
}

}  // namespace soundlens
