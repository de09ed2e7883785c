#pragma once
// File operations the store needs to be crash-safe. Internal to storage.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace soundlens::storage {

// Prefix of files being written; anything with it is garbage after a crash.
inline constexpr std::string_view temp_prefix = ".tmp-";

// Writes to a temp file in the same directory, fsyncs it, renames it over
// `target` and fsyncs the directory: readers see the old file or the whole
// new one, never a partial one. Throws Error(internal); leaves no temp file.
void write_file_atomically(const std::filesystem::path& target, std::span<const std::uint8_t> bytes);

// The data directory holds recordings (health data), password hashes and
// secrets: what soundlens creates there is its owner's only. Directories are
// made 0700 (with missing parents); files 0600.
inline constexpr unsigned private_directory_mode = 0700;
inline constexpr unsigned private_file_mode = 0600;
// Creates `dir` and any missing parent as 0700. With `narrow`, an existing
// `dir` is set to 0700 too (for the folders soundlens alone uses inside the
// data directory, made by an older version; never the data directory itself,
// which may be a folder the operator chose). Throws Error(internal).
void create_private_directory(const std::filesystem::path& dir, bool narrow = false);
// For a file another library creates (SQLite's database): creates it empty
// as 0600 if missing, else sets it to 0600. Throws Error(internal).
void make_private_file(const std::filesystem::path& file);

// Removes a file or directory tree; errors are ignored (best effort cleanup).
void remove_quietly(const std::filesystem::path& path);

}  // namespace soundlens::storage
