#pragma once
// Bytes kept in PostgreSQL beside the row they belong to (recordings, job
// uploads) in chunks of 1 MB: no value grows past what libpq and the server
// handle comfortably, and a reader can take one chunk at a time. The tables
// are (KEY TEXT REFERENCES parent (id) ON DELETE CASCADE, seq, bytes).
// Internal to storage.
#include <cstdint>
#include <span>
#include <string>

#include "storage/pg_db.h"

namespace soundlens::storage::pg {

inline constexpr std::size_t chunk_bytes = 1u << 20;

// CREATE TABLE `table` whose rows hold the chunks of the row `key` names in `parent`.
std::string chunks_table(const std::string& table, const std::string& key, const std::string& parent);
// Inserts `bytes` as chunks 0, 1, ... of `id` (inside the caller's transaction).
void insert_chunks(Connection& db, const std::string& table, const std::string& key, const std::string& id,
                   std::span<const std::uint8_t> bytes);

}  // namespace soundlens::storage::pg
