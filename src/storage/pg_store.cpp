// The PostgreSQL implementation of AnalysisStore. Rows and recordings live in
// the database (the audio in 1 MB chunks, written in the row's transaction so
// that an insert stays atomic); the cache directory only holds what can be
// made again: recordings materialised for the decoders, and figures.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "storage/analysis_cache.h"
#include "storage/analysis_store.h"
#include "storage/files.h"
#include "storage/ids.h"
#include "storage/new_analysis.h"
#include "storage/pg_chunks.h"
#include "storage/pg_pool.h"
#include "storage/pg_reviews.h"
#include "storage/pg_schema.h"

namespace soundlens {
namespace fs = std::filesystem;
using storage::pg::Param;
using storage::pg::Result;

namespace {

constexpr const char* summary_columns =
    "id, filename, content_type, model, created_at, audio_bytes, parameters, duration_s, top_class, predictions, "
    "owner, note, labels::text";

StoredAnalysis read_row(const Result& r, int i, bool with_result) {
  StoredAnalysis a;
  a.id = r.text(i, 0);
  a.filename = r.text(i, 1);
  a.content_type = r.text(i, 2);
  a.model = r.text(i, 3);
  a.created_at = r.text(i, 4);
  a.audio_bytes = r.integer(i, 5);
  a.parameters_json = r.text(i, 6);
  a.duration_s = r.number(i, 7);
  a.top_class = int(r.integer(i, 8));
  a.predictions_json = r.text(i, 9);
  a.owner = r.optional_integer(i, 10);
  a.note = r.text(i, 11);
  a.labels = storage::labels_of(r.text(i, 12));
  if (with_result) a.result_json = r.text(i, 13);
  return a;
}

// The job that stored an analysis, from its parameters ({"job_id": ...}), if any.
std::optional<std::string> job_of(const std::string& parameters_json) {
  const auto parameters = nlohmann::json::parse(parameters_json, nullptr, false);
  if (!parameters.is_object()) return std::nullopt;
  const auto job = parameters.find("job_id");
  if (job == parameters.end() || !job->is_string()) return std::nullopt;
  return job->get<std::string>();
}

class PostgresStore final : public AnalysisStore {
 public:
  PostgresStore(const std::string& conninfo, const fs::path& cache_dir)
      : pool_(conninfo, 8), audio_dir_(cache_dir / "audio"), cache_(cache_dir / "cache") {
    storage::create_private_directory(audio_dir_, true);
    storage::pg::migrate(*pool_.take());
    sweep_local();
  }

  StoredAnalysis insert(const NewAnalysis& analysis, std::span<const std::uint8_t> audio) override {
    StoredAnalysis stored = storage::new_stored_analysis(analysis, audio.size());
    const auto job_id = job_of(analysis.parameters_json);
    auto db = pool_.take();
    db->transaction([&] {
      db->query(
          "INSERT INTO analyses (id, filename, content_type, model, created_at, audio_bytes, parameters, result,"
          " duration_s, top_class, predictions, owner, classes, job_id)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
          {stored.id, stored.filename, stored.content_type, stored.model, stored.created_at, stored.audio_bytes,
           stored.parameters_json, stored.result_json, stored.duration_s, stored.top_class, stored.predictions_json,
           stored.owner, analysis.classes, job_id ? Param(*job_id) : Param()});
      storage::pg::insert_chunks(*db, "audio_chunks", "analysis_id", stored.id, audio);
    });
    return stored;
  }

  std::optional<StoredAnalysis> get(const std::string& id) override {
    if (!storage::is_valid_id(id)) return std::nullopt;
    const auto r = pool_.take()->query(
        std::string("SELECT ") + summary_columns + ", result FROM analyses WHERE id = $1", {id});
    if (r.rows() == 0) return std::nullopt;
    return read_row(r, 0, true);
  }

  AnalysisPage list(int limit, std::int64_t offset, const AnalysisFilter& filter) override {
    // Each condition is off when its parameter is empty ($1 = false: no owner).
    const std::string where =
        " WHERE (NOT $1::boolean OR owner = $2::bigint)"
        " AND ($3 = '' OR strpos(lower(filename), $3) > 0 OR strpos(lower(note), $3) > 0"
        "      OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(labels) AS l (v) WHERE strpos(lower(l.v), $3) > 0))"
        " AND ($4 = '' OR strpos(classes, '|' || $4 || '|') > 0)"
        " AND ($5 = '' OR labels @> jsonb_build_array($5::text))"
        " AND ($6 = '' OR created_at >= $6)"
        " AND ($7 = '' OR created_at < to_char(to_date($7, 'YYYY-MM-DD') + 1, 'YYYY-MM-DD'))";
    const std::vector<Param> params = {filter.owner ? "true" : "false",
                                       filter.owner.value_or(0),
                                       storage::ascii_lower(filter.text),
                                       storage::ascii_lower(filter.class_key),
                                       filter.label,
                                       filter.from_date,
                                       filter.to_date};
    auto db = pool_.take();
    AnalysisPage page;
    page.total = db->query("SELECT COUNT(*) FROM analyses" + where, params).integer(0, 0);
    auto with_page = params;
    with_page.emplace_back(std::int64_t(limit));
    with_page.emplace_back(offset);
    const auto rows = db->query(std::string("SELECT ") + summary_columns + " FROM analyses" + where +
                                    " ORDER BY seq DESC LIMIT $8 OFFSET $9",
                                with_page);
    for (int i = 0; i < rows.rows(); ++i) page.items.push_back(read_row(rows, i, false));
    return page;
  }

  std::optional<StoredAnalysis> update_notes(const std::string& id, const AnalysisNotes& notes) override {
    if (!storage::is_valid_id(id)) return std::nullopt;
    {
      auto db = pool_.take();
      if (notes.note) db->query("UPDATE analyses SET note = $1 WHERE id = $2", {*notes.note, id});
      if (notes.labels)
        db->query("UPDATE analyses SET labels = $1::jsonb WHERE id = $2", {nlohmann::json(*notes.labels).dump(), id});
    }
    return get(id);
  }

  std::vector<EventReviewRecord> reviews(const std::string& id) override {
    if (!storage::is_valid_id(id)) return {};
    return storage::pg::reviews(*pool_.take(), id);
  }

  std::optional<EventReviewRecord> set_review(const std::string& id, EventReviewRecord review) override {
    if (!storage::is_valid_id(id)) return std::nullopt;
    review.reviewed_at = storage::utc_now_iso();
    if (!storage::pg::write_review(*pool_.take(), id, review)) return std::nullopt;
    return review;
  }

  bool remove(const std::string& id) override {
    if (!storage::is_valid_id(id)) return false;
    // The chunks and reviews go with the row (ON DELETE CASCADE).
    if (pool_.take()->query("DELETE FROM analyses WHERE id = $1", {id}).affected() == 0) return false;
    forget_local(id);
    return true;
  }

  std::optional<std::string> audio_path(const std::string& id) override {
    if (!storage::is_valid_id(id)) return std::nullopt;
    const fs::path file = audio_dir_ / id;
    if (!fs::exists(file)) materialise(id, file);
    return file.string();
  }

  std::optional<std::vector<std::uint8_t>> read_cache(const std::string& id, const std::string& key) override {
    return cache_.read(id, key);
  }

  void write_cache(const std::string& id, const std::string& key, std::span<const std::uint8_t> bytes) override {
    storage::AnalysisCache::check_key(key);
    if (!storage::is_valid_id(id)) return;
    if (pool_.take()->query("SELECT 1 FROM analyses WHERE id = $1", {id}).rows() == 0) return;
    cache_.write(id, key, bytes);
  }

  int remove_older_than(std::chrono::system_clock::time_point cutoff) override {
    const auto removed =
        pool_.take()->query("DELETE FROM analyses WHERE created_at < $1 RETURNING id", {storage::utc_iso(cutoff)});
    for (int i = 0; i < removed.rows(); ++i) forget_local(removed.text(i, 0));
    sweep_local();  // and what this machine cached of analyses another machine removed
    return removed.rows();
  }

 private:
  // Cached recordings and figures whose analysis is gone (removed by another
  // machine, or while this one was stopped): recordings may be health data,
  // so they do not outlive their row. Files being written (temp names) stay.
  void sweep_local() {
    std::vector<fs::path> entries;
    std::vector<std::string> ids;
    for (const fs::path& dir : {audio_dir_, cache_.dir()})
      for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (!storage::is_valid_id(name)) continue;
        entries.push_back(entry.path());
        ids.push_back(name);
      }
    if (ids.empty()) return;
    const auto known = pool_.take()->query("SELECT id FROM analyses WHERE id = ANY($1::text[])",
                                           {"{" + join(ids) + "}"});
    std::set<std::string> kept;
    for (int i = 0; i < known.rows(); ++i) kept.insert(known.text(i, 0));
    for (const auto& path : entries)
      if (!kept.contains(path.filename().string())) storage::remove_quietly(path);
  }

  // Ids are hex digits: an array literal needs no quoting.
  static std::string join(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
    return out;
  }

  void forget_local(const std::string& id) {
    storage::remove_quietly(audio_dir_ / id);
    cache_.forget(id);
  }

  // Writes the recording to `file` a chunk at a time (never whole in memory),
  // through a temp file renamed at the end, so that readers see all or nothing.
  // Nothing is written for an unknown id or an analysis without audio.
  void materialise(const std::string& id, const fs::path& file) {
    auto db = pool_.take();
    const auto count = db->query("SELECT count(*) FROM audio_chunks WHERE analysis_id = $1", {id}).integer(0, 0);
    if (count == 0) return;
    const fs::path temp = audio_dir_ / (std::string(storage::temp_prefix) + id + "-" + storage::new_id());
    try {
      storage::make_private_file(temp);  // 0600 before a byte is written
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      for (std::int64_t seq = 0; seq < count; ++seq) {
        const auto chunk = db->query_binary(
            "SELECT bytes FROM audio_chunks WHERE analysis_id = $1 AND seq = $2", {id, seq});
        if (chunk.rows() == 0) throw Error(ErrorCode::internal, "the recording of analysis " + id + " is incomplete");
        const auto bytes = chunk.bytes(0, 0);
        out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
      }
      out.close();
      if (!out) throw Error(ErrorCode::internal, "cannot write the cached recording " + temp.string());
      fs::rename(temp, file);
    } catch (...) {
      storage::remove_quietly(temp);
      throw;
    }
  }

  storage::pg::Pool pool_;
  fs::path audio_dir_;
  storage::AnalysisCache cache_;
};

}  // namespace

std::unique_ptr<AnalysisStore> open_postgres_store(const std::string& conninfo, const std::string& cache_dir) {
  storage::create_private_directory(cache_dir);
  return std::make_unique<PostgresStore>(conninfo, fs::path(cache_dir));
}

}  // namespace soundlens
