#pragma once
// The tables both backends have, written once: the analyses, the jobs, the
// batches, the users with their keys and sign-in, and the audit log, with the few words the dialects spell differently (the sequence,
// 64-bit integers, doubles, JSON) filled in per dialect. What one backend has
// alone (PostgreSQL's job leases, the analyses' job_id, its chunk tables, each
// backend's indexes and later columns) is added by that backend.
// PostgreSQL's migrations (pg_schema.cpp) are made of these texts, so they
// are history: a change is a new migration on both sides, never an edit here.
// Internal to storage.
#include <string>
#include <string_view>

namespace soundlens::storage {

enum class Dialect { sqlite, postgres };

// CREATE TABLE analyses (with `extra` column lines appended) and its owner index.
std::string analyses_table(Dialect dialect, std::string_view extra = "");
// CREATE TABLE jobs with `extra` column lines appended.
std::string jobs_table(Dialect dialect, std::string_view extra = "");
// CREATE TABLE batches and batch_items.
std::string batch_tables(Dialect dialect);
// CREATE TABLE users, api_keys and audit (the audit log's append-only guard is each dialect's own).
std::string user_tables(Dialect dialect);
// CREATE TABLE user_passwords and web_sessions (web sign-in), with the sessions' user index.
std::string sign_in_tables(Dialect dialect);
// CREATE TABLE event_reviews: one row per reviewed event of an analysis (storage/event_review.h).
std::string review_table(Dialect dialect);

}  // namespace soundlens::storage
