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

// Removes a file or directory tree; errors are ignored (best effort cleanup).
void remove_quietly(const std::filesystem::path& path);

}  // namespace soundlens::storage
