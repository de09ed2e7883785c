// The PostgreSQL backend of BatchStore: every server of a cluster sees the
// same batches (tables `batches` and `batch_items`, migration v4).
#include <memory>

#include "storage/batch_store.h"
#include "storage/ids.h"
#include "storage/pg_pool.h"
#include "storage/pg_schema.h"

namespace soundlens {
namespace {

class PostgresBatches final : public BatchStore {
 public:
  explicit PostgresBatches(const std::string& conninfo) : pool_(conninfo, 4) { storage::pg::migrate(*pool_.take()); }

  BatchRecord create(BatchRecord batch) override {
    batch.id = storage::new_id();
    batch.created_at = storage::utc_now_iso();
    auto db = pool_.take();
    db->transaction([&] {
      db->query("INSERT INTO batches (id, owner, created_at) VALUES ($1, $2, $3)",
                {batch.id, batch.owner, batch.created_at});
      for (const auto& item : batch.items)
        db->query(
            "INSERT INTO batch_items (batch_id, idx, filename, job_id, error_code, error_message)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            {batch.id, item.index, item.filename, item.job_id, item.error_code, item.error_message});
    });
    return batch;
  }

  std::optional<BatchRecord> get(const std::string& id) override {
    if (!storage::is_valid_id(id)) return std::nullopt;
    auto db = pool_.take();
    const auto head = db->query("SELECT id, owner, created_at FROM batches WHERE id = $1", {id});
    if (head.rows() == 0) return std::nullopt;
    BatchRecord batch;
    batch.id = head.text(0, 0);
    batch.owner = head.optional_integer(0, 1);
    batch.created_at = head.text(0, 2);
    const auto items = db->query(
        "SELECT idx, filename, job_id, error_code, error_message FROM batch_items WHERE batch_id = $1 ORDER BY idx",
        {id});
    for (int i = 0; i < items.rows(); ++i)
      batch.items.push_back({int(items.integer(i, 0)), items.text(i, 1), items.text(i, 2), items.text(i, 3),
                             items.text(i, 4)});
    return batch;
  }

 private:
  storage::pg::Pool pool_;
};

}  // namespace

std::unique_ptr<BatchStore> open_postgres_batches(const std::string& conninfo) {
  return std::make_unique<PostgresBatches>(conninfo);
}

}  // namespace soundlens
