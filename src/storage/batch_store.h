#pragma once
// Batches: several uploads sent together, each run as a job. A batch keeps
// only what joins its files to their jobs (and, for a file refused before it
// became a job, its error); each file's state is the job's. On SQLite (tables
// `batches` and `batch_items` in DATA_DIR/soundlens.db, beside the jobs') or
// on PostgreSQL (shared by every server of a cluster).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace soundlens {

struct BatchItemRecord {
  int index = 0;             // the file's place in the request, from 0
  std::string filename;      // as uploaded (display only)
  std::string job_id;        // "" when the file was refused before it became a job
  std::string error_code, error_message;  // that refusal
};

struct BatchRecord {
  std::string id;  // 32 hex digits
  std::optional<std::int64_t> owner;  // who sent it (nullopt: authentication was off)
  std::string created_at;
  std::vector<BatchItemRecord> items;
};

class BatchStore {
 public:
  virtual ~BatchStore() = default;
  // Stores the batch with its items at once; sets id and created_at.
  virtual BatchRecord create(BatchRecord batch) = 0;
  // nullopt for an unknown id or one that is not an id at all.
  virtual std::optional<BatchRecord> get(const std::string& id) = 0;
};

std::unique_ptr<BatchStore> open_sqlite_batches(const std::string& data_dir);
// Runs the migrations.
std::unique_ptr<BatchStore> open_postgres_batches(const std::string& conninfo);

}  // namespace soundlens
