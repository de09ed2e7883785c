#include "storage/pg_chunks.h"

#include <algorithm>

namespace soundlens::storage::pg {

std::string chunks_table(const std::string& table, const std::string& key, const std::string& parent) {
  return "CREATE TABLE " + table + " (\n  " + key + " TEXT NOT NULL REFERENCES " + parent +
         " (id) ON DELETE CASCADE,\n  seq INTEGER NOT NULL,\n  bytes BYTEA NOT NULL,\n  PRIMARY KEY (" + key +
         ", seq)\n);\n";
}

void insert_chunks(Connection& db, const std::string& table, const std::string& key, const std::string& id,
                   std::span<const std::uint8_t> bytes) {
  const std::string insert = "INSERT INTO " + table + " (" + key + ", seq, bytes) VALUES ($1, $2, $3)";
  for (std::size_t at = 0, seq = 0; at < bytes.size(); at += chunk_bytes, ++seq)
    db.query(insert, {id, int(seq), Param::bytes(bytes.subspan(at, std::min(chunk_bytes, bytes.size() - at)))});
}

}  // namespace soundlens::storage::pg
