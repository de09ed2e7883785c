#pragma once
// What a live session writes as it goes: the audio heard (16-bit PCM WAV or
// FLAC, 32 kHz mono) and the events (the CSV of exports.h), each flushed so that a
// crash loses at most what came after the last flush; the WAV's header is
// rewritten at every flush, so the file is a valid WAV of everything flushed.
#include <cstdio>
#include <memory>
#include <span>
#include <string>

#include "events/event.h"

namespace soundlens {

// What was heard, 16-bit mono: a WAV or, by the name's extension, a FLAC file.
class Recorder {
 public:
  virtual ~Recorder() = default;
  virtual void write(std::span<const float> samples) = 0;
  virtual void flush() = 0;  // everything written so far readable as a valid file
  virtual void close() = 0;
};

// .wav or .flac; anything else, or a file that cannot be created: Error(bad_request) naming --record.
std::unique_ptr<Recorder> open_recorder(const std::string& path, int sample_rate = 32000);

class WavRecorder : public Recorder {
 public:
  explicit WavRecorder(const std::string& path, int sample_rate = 32000);
  ~WavRecorder() override;
  WavRecorder(const WavRecorder&) = delete;
  WavRecorder& operator=(const WavRecorder&) = delete;
  void write(std::span<const float> samples) override;
  void flush() override;  // header updated, bytes handed to the system
  void close() override;
  double seconds() const { return double(samples_) / rate_; }

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
  int rate_;
  std::size_t samples_ = 0;
};

class EventsCsvFile {
 public:
  explicit EventsCsvFile(const std::string& path);  // writes the header
  ~EventsCsvFile();
  EventsCsvFile(const EventsCsvFile&) = delete;
  EventsCsvFile& operator=(const EventsCsvFile&) = delete;
  void add(const Event& e);  // one row, flushed
  void close();

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
};

}  // namespace soundlens
