#pragma once
// The event reviews' rows on SQLite (table event_reviews), for SqliteStore,
// which holds the connection and its lock. Internal to storage.
#include <string>
#include <vector>

#include "storage/event_review.h"
#include "storage/sqlite_db.h"

namespace soundlens::storage {

std::vector<EventReviewRecord> sqlite_reviews(Database& db, const std::string& analysis_id);
// Inserts or replaces the review of (analysis_id, review.event_index) as given (reviewed_at included).
void sqlite_write_review(Database& db, const std::string& analysis_id, const EventReviewRecord& review);
// SQLite has foreign keys off: a removed analysis' reviews are deleted by hand.
void sqlite_delete_reviews(Database& db, const std::string& analysis_id);
// ... and those of analyses that are gone (after a retention sweep).
void sqlite_delete_orphan_reviews(Database& db);

}  // namespace soundlens::storage
