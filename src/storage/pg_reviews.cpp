#include "storage/pg_reviews.h"

namespace soundlens::storage::pg {

std::vector<EventReviewRecord> reviews(Connection& db, const std::string& analysis_id) {
  const auto rows = db.query(
      "SELECT event_index, status, label_index, label, onset_s, offset_s, reviewer, reviewer_name, reviewed_at"
      " FROM event_reviews WHERE analysis_id = $1 ORDER BY event_index",
      {analysis_id});
  std::vector<EventReviewRecord> out;
  for (int i = 0; i < rows.rows(); ++i) {
    EventReviewRecord r;
    r.event_index = int(rows.integer(i, 0));
    r.status = rows.text(i, 1);
    if (const auto label = rows.optional_integer(i, 2)) r.label_index = int(*label);
    r.label = rows.text(i, 3);
    r.onset_s = rows.number(i, 4);
    r.offset_s = rows.number(i, 5);
    r.reviewer = rows.optional_integer(i, 6);
    r.reviewer_name = rows.text(i, 7);
    r.reviewed_at = rows.text(i, 8);
    out.push_back(std::move(r));
  }
  return out;
}

bool write_review(Connection& db, const std::string& analysis_id, const EventReviewRecord& review) {
  // One statement: the SELECT finds no analysis after a concurrent delete, and nothing is written.
  const auto written = db.query(
      "INSERT INTO event_reviews (analysis_id, event_index, status, label_index, label, onset_s, offset_s, reviewer,"
      " reviewer_name, reviewed_at)"
      " SELECT id, $2, $3, $4::integer, $5, $6::double precision, $7::double precision, $8::bigint, $9, $10"
      " FROM analyses WHERE id = $1"
      " ON CONFLICT (analysis_id, event_index) DO UPDATE SET status = EXCLUDED.status,"
      " label_index = EXCLUDED.label_index, label = EXCLUDED.label, onset_s = EXCLUDED.onset_s,"
      " offset_s = EXCLUDED.offset_s, reviewer = EXCLUDED.reviewer, reviewer_name = EXCLUDED.reviewer_name,"
      " reviewed_at = EXCLUDED.reviewed_at",
      {analysis_id, review.event_index, review.status,
       review.label_index ? Param(*review.label_index) : Param(), review.label, review.onset_s, review.offset_s,
       review.reviewer, review.reviewer_name, review.reviewed_at});
  return written.affected() > 0;
}

}  // namespace soundlens::storage::pg
