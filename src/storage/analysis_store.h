#pragma once
// History of analyses: the stored result, its uploaded audio and cached
// figures. One small interface so that another backend (e.g. PostgreSQL) can
// replace SQLite without the routes changing.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "storage/event_review.h"

namespace soundlens {

struct NewAnalysis {
  std::string filename;          // as uploaded (display only, never a path)
  std::string content_type;      // of the audio, e.g. "audio/wav"
  std::string model;
  std::string parameters_json;   // the options it was run with (window_s, hop_s, top_k)
  std::string result_json;       // analysis_to_json(...), without id/filename/created_at
  // The summary a history list shows, kept in columns of its own so that
  // listing never reads (or parses) the full results, which can be megabytes.
  std::optional<double> duration_s;
  std::string predictions_json;  // the top predictions as a JSON array
  std::optional<std::int64_t> owner;  // the user it belongs to; nullopt = created with authentication off
  // The classes it found (predictions and events), for filtering the history:
  // "|47|cough|0|speech|", indices and lower-case names between bars.
  std::string classes;
};

struct StoredAnalysis {
  std::string id;
  std::string filename;
  std::string content_type;
  std::string model;
  std::string created_at;        // ISO 8601 UTC with milliseconds
  std::int64_t audio_bytes = 0;
  std::string parameters_json;
  std::string result_json;       // empty in the items of list()
  std::optional<double> duration_s;
  std::string predictions_json;  // empty when unknown
  int top_class = -1;            // the first prediction's class index, -1 if none
  std::optional<std::int64_t> owner;  // the user it belongs to; nullopt = created with authentication off
  std::string note;                   // the user's own words (PATCH), "" if none
  std::vector<std::string> labels;    // e.g. a patient or session code (PATCH)
};

// Which analyses a history list shows; empty fields do not filter.
struct AnalysisFilter {
  std::optional<std::int64_t> owner;  // only this user's
  std::string text;                   // in the file name, the note or a label (case-insensitive, ASCII)
  std::string class_key;              // a class index or lower-case name among predictions and events
  std::string label;                  // exactly this label
  std::string from_date, to_date;     // YYYY-MM-DD, inclusive, on created_at (UTC)
};

// A change of the user's own fields of an analysis; nullopt leaves one as it is.
struct AnalysisNotes {
  std::optional<std::string> note;
  std::optional<std::vector<std::string>> labels;
};

struct AnalysisPage {
  std::vector<StoredAnalysis> items;  // newest first
  std::int64_t total = 0;             // all stored analyses (of the owner, when one is given)
};

class AnalysisStore {
 public:
  virtual ~AnalysisStore() = default;
  // Atomic: either the row and its audio both exist afterwards, or neither.
  // Empty audio: the recording is not kept (--store-audio no); no file is written.
  virtual StoredAnalysis insert(const NewAnalysis& analysis, std::span<const std::uint8_t> audio) = 0;
  virtual std::optional<StoredAnalysis> get(const std::string& id) = 0;
  // Summaries only: the items carry no result_json. Offsets are 64-bit: an
  // API client may ask for any offset up to 2^40. The total counts what the filter lets through.
  virtual AnalysisPage list(int limit, std::int64_t offset, const AnalysisFilter& filter = {}) = 0;
  // Sets the note and/or labels; the updated analysis, or nullopt if unknown.
  virtual std::optional<StoredAnalysis> update_notes(const std::string& id, const AnalysisNotes& notes) = 0;
  // The reviews of its events, by event index (unreviewed events that were never touched have none).
  virtual std::vector<EventReviewRecord> reviews(const std::string& id) = 0;
  // Stores the review of one event (replacing an earlier one), setting reviewed_at; the review as
  // stored, or nullopt if the analysis is unknown. The caller checks the index and values.
  virtual std::optional<EventReviewRecord> set_review(const std::string& id, EventReviewRecord review) = 0;
  // Removes the row, its audio, its reviews and its cached figures; false if unknown.
  virtual bool remove(const std::string& id) = 0;
  // The file holding the audio of a stored analysis (valid until it is removed).
  // The id is checked for form only, not looked up: the file may be missing.
  virtual std::optional<std::string> audio_path(const std::string& id) = 0;
  // Derived artefacts (figures) keyed per analysis; removed with it.
  virtual std::optional<std::vector<std::uint8_t>> read_cache(const std::string& id, const std::string& key) = 0;
  virtual void write_cache(const std::string& id, const std::string& key, std::span<const std::uint8_t> bytes) = 0;

  // --- Retention (privacy) ---
  // Removes every analysis created before `cutoff`, with its audio and cache,
  // as remove() does; returns how many.
  virtual int remove_older_than(std::chrono::system_clock::time_point cutoff) = 0;
  // --- end retention ---
};

// The default store: SQLite (WAL) at DATA_DIR/soundlens.db, audio in
// DATA_DIR/audio, figures in DATA_DIR/cache. Creates the directory; takes an
// exclusive lock on it (DATA_DIR/.lock, held while the store lives: a second
// server on the same directory fails with Error(internal) naming the holder
// instead of deleting the first one's uploads in flight); brings an older
// database up to the current schema; removes what an interrupted run left
// behind (temp files, audio without a row).
std::unique_ptr<AnalysisStore> open_sqlite_store(const std::string& data_dir);

// The store on PostgreSQL (conninfo: a postgresql:// URI): rows and
// recordings (chunked) in the database, shared by every machine; brings the
// schema up to date at open (safe when several processes start at once).
// cache_dir is local and disposable: recordings materialised for decoding and
// figures; emptied at open. Throws Error(internal) with a one-line message
// (never the password) when the server cannot be reached.
std::unique_ptr<AnalysisStore> open_postgres_store(const std::string& conninfo, const std::string& cache_dir);

}  // namespace soundlens
