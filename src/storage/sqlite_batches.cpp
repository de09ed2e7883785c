#include "storage/batch_store.h"

#include <filesystem>
#include <mutex>

#include "storage/files.h"
#include "storage/ids.h"
#include "storage/sqlite_db.h"
#include "storage/tables.h"

namespace soundlens {
namespace {

namespace fs = std::filesystem;
using storage::Statement;

class SqliteBatches final : public BatchStore {
 public:
  explicit SqliteBatches(const fs::path& dir) : db_((dir / "soundlens.db").string()) {
    db_.exec("PRAGMA journal_mode=WAL;");
    db_.exec("PRAGMA synchronous=NORMAL;");
    db_.exec(storage::batch_tables(storage::Dialect::sqlite).c_str());
  }

  BatchRecord create(BatchRecord batch) override {
    batch.id = storage::new_id();
    batch.created_at = storage::utc_now_iso();
    std::lock_guard lock(mutex_);
    db_.immediate_transaction([&] {
      Statement insert(db_.prepare("INSERT INTO batches (id, owner, created_at) VALUES (?, ?, ?)"));
      insert.bind(1, batch.id);
      if (batch.owner) insert.bind(2, *batch.owner);  // else NULL
      insert.bind(3, batch.created_at).run();
      for (const auto& item : batch.items) {
        Statement row(db_.prepare(
            "INSERT INTO batch_items (batch_id, idx, filename, job_id, error_code, error_message) "
            "VALUES (?, ?, ?, ?, ?, ?)"));
        row.bind(1, batch.id).bind(2, std::int64_t(item.index)).bind(3, item.filename).bind(4, item.job_id);
        row.bind(5, item.error_code).bind(6, item.error_message).run();
      }
    });
    return batch;
  }

  std::optional<BatchRecord> get(const std::string& id) override {
    if (!storage::is_valid_id(id)) return std::nullopt;
    std::lock_guard lock(mutex_);
    Statement head(db_.prepare("SELECT id, owner, created_at FROM batches WHERE id = ?"));
    head.bind(1, id);
    if (!head.step()) return std::nullopt;
    BatchRecord batch;
    batch.id = head.text(0);
    if (head.number(1)) batch.owner = head.integer(1);
    batch.created_at = head.text(2);
    Statement items(db_.prepare(
        "SELECT idx, filename, job_id, error_code, error_message FROM batch_items WHERE batch_id = ? ORDER BY idx"));
    items.bind(1, id);
    while (items.step())
      batch.items.push_back({int(items.integer(0)), items.text(1), items.text(2), items.text(3), items.text(4)});
    return batch;
  }

 private:
  std::mutex mutex_;
  storage::Database db_;
};

}  // namespace

std::unique_ptr<BatchStore> open_sqlite_batches(const std::string& data_dir) {
  storage::create_private_directory(data_dir);
  return std::make_unique<SqliteBatches>(data_dir);
}

}  // namespace soundlens
