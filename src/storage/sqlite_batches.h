#pragma once
// The SQLite backend of BatchStore: tables `batches` and `batch_items` in
// DATA_DIR/soundlens.db (its own connection, beside the jobs').
#include <memory>
#include <string>

#include "storage/batch_store.h"

namespace soundlens {

std::unique_ptr<BatchStore> open_sqlite_batches(const std::string& data_dir);
// The same on PostgreSQL (shared by every server of a cluster); runs the migrations.
std::unique_ptr<BatchStore> open_postgres_batches(const std::string& conninfo);

}  // namespace soundlens
