#include "storage/sqlite_reviews.h"

namespace soundlens::storage {
namespace {

constexpr const char* columns =
    "event_index, status, label_index, label, onset_s, offset_s, reviewer, reviewer_name, reviewed_at";

EventReviewRecord read_review(const Statement& row) {
  EventReviewRecord r;
  r.event_index = int(row.integer(0));
  r.status = row.text(1);
  if (row.number(2)) r.label_index = int(row.integer(2));
  r.label = row.text(3);
  r.onset_s = row.number(4);
  r.offset_s = row.number(5);
  if (row.number(6)) r.reviewer = row.integer(6);
  r.reviewer_name = row.text(7);
  r.reviewed_at = row.text(8);
  return r;
}

std::optional<double> optional_number(const std::optional<std::int64_t>& value) {
  return value ? std::optional<double>(double(*value)) : std::nullopt;
}

}  // namespace

std::vector<EventReviewRecord> sqlite_reviews(Database& db, const std::string& analysis_id) {
  Statement rows(db.prepare(
      (std::string("SELECT ") + columns + " FROM event_reviews WHERE analysis_id = ? ORDER BY event_index").c_str()));
  rows.bind(1, analysis_id);
  std::vector<EventReviewRecord> out;
  while (rows.step()) out.push_back(read_review(rows));
  return out;
}

void sqlite_write_review(Database& db, const std::string& analysis_id, const EventReviewRecord& review) {
  Statement upsert(db.prepare(
      "INSERT OR REPLACE INTO event_reviews (analysis_id, event_index, status, label_index, label, onset_s, offset_s,"
      " reviewer, reviewer_name, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  upsert.bind(1, analysis_id).bind(2, std::int64_t(review.event_index)).bind(3, review.status);
  // Integers that may be NULL go through the optional double binding: they are far below 2^53.
  upsert.bind(4, review.label_index ? std::optional<double>(*review.label_index) : std::nullopt);
  upsert.bind(5, review.label).bind(6, review.onset_s).bind(7, review.offset_s);
  upsert.bind(8, optional_number(review.reviewer)).bind(9, review.reviewer_name).bind(10, review.reviewed_at);
  upsert.run();
}

void sqlite_delete_reviews(Database& db, const std::string& analysis_id) {
  Statement remove(db.prepare("DELETE FROM event_reviews WHERE analysis_id = ?"));
  remove.bind(1, analysis_id).run();
}

void sqlite_delete_orphan_reviews(Database& db) {
  db.exec("DELETE FROM event_reviews WHERE analysis_id NOT IN (SELECT id FROM analyses);");
}

}  // namespace soundlens::storage
