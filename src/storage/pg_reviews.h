#pragma once
// The event reviews' rows on PostgreSQL (table event_reviews, removed with
// their analysis by its foreign key), for PostgresStore. Internal to storage.
#include <optional>
#include <string>
#include <vector>

#include "storage/event_review.h"
#include "storage/pg_db.h"

namespace soundlens::storage::pg {

std::vector<EventReviewRecord> reviews(Connection& db, const std::string& analysis_id);
// Inserts or replaces the review as given; false when the analysis does not exist (nothing written).
bool write_review(Connection& db, const std::string& analysis_id, const EventReviewRecord& review);

}  // namespace soundlens::storage::pg
