#pragma once
// What a folder batch writes under OUT: per file OUT/<rel>.png (the figure),
// OUT/<rel>.events.csv and, last and atomically, OUT/<rel>.json (the analysis
// with its events and the source file's size and mtime: the mark that the
// file is done); at the end OUT/batch.csv (one row per file) and
// OUT/events.csv (every file's events, times from each file's own start).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/event.h"

namespace soundlens {

// What says a source file is the one a stored output was made from.
struct SourceStamp {
  std::uintmax_t size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const SourceStamp&) const = default;
};
SourceStamp source_stamp(const std::filesystem::path& file);

struct BatchRow {
  std::string path;    // relative to DIR
  std::string status;  // done | failed | skipped
  std::string error_code, error_message;  // failed: the error; skipped: the reason
  std::optional<double> duration_s;
  std::string top_class;
  std::optional<double> top_probability;
  std::vector<Event> events;
  std::string event_counts;  // "Cough: 3; Sneeze: 1"
  bool resumed = false;      // done in an earlier run (--resume)
};

class BatchOutput {
 public:
  explicit BatchOutput(std::filesystem::path out_dir) : out_(std::move(out_dir)) {}

  // The row of a file whose outputs are complete and made from this very
  // source; nullopt when anything is missing, unreadable or stale.
  std::optional<BatchRow> resumable(const std::string& relative, const SourceStamp& stamp) const;
  // Writes the file's outputs (the JSON last, atomically) and returns its row.
  // `analysis_json` gets "file" and "batch_source". On an error nothing of the file is left.
  BatchRow write(const std::string& relative, const SourceStamp& stamp, nlohmann::json analysis_json,
                 const std::vector<std::uint8_t>& figure_png);
  // Removes whatever a file's outputs left (a failed file keeps none).
  void remove(const std::string& relative) const;
  // OUT/batch.csv and OUT/events.csv, atomically.
  void write_tables(const std::vector<BatchRow>& rows) const;

 private:
  std::filesystem::path output(const std::string& relative, const std::string& suffix) const;
  std::filesystem::path out_;
};

// The rows as CSV (RFC 4180). Header:
// path,status,error_code,error_message,duration_s,top_class,top_probability,events,event_counts
std::string batch_csv(const std::vector<BatchRow>& rows);
// Header file,index,label,onset_s,offset_s,probability,low_hz,high_hz; onset and offset from each file's start.
std::string batch_events_csv(const std::vector<BatchRow>& rows);

}  // namespace soundlens
