#pragma once
// The files of a folder batch: DIR walked recursively in a fixed order
// (relative paths, bytewise), hidden files and folders left out, no symbolic
// link followed out of DIR (nor into a folder: no loops), and only files whose
// extension is an audio format soundlens decodes analysed; other files are
// listed as skipped with the reason.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace soundlens {

struct BatchEntry {
  std::string relative;        // "sub/a.wav" ('/' separated)
  std::filesystem::path path;  // to open
  std::uintmax_t size = 0;
  std::string skip_reason;     // "" = analyse it
};

// `exclude` (e.g. the output folder, when it lies inside DIR) is not walked.
// Throws Error(bad_request) when `dir` is not a folder.
std::vector<BatchEntry> walk_batch_folder(const std::filesystem::path& dir, const std::filesystem::path& exclude = {});

// ".wav", ".FLAC", ... (the containers the audio stage opens).
bool is_audio_extension(std::string_view extension);

}  // namespace soundlens
