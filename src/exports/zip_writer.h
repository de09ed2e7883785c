#pragma once
// A ZIP archive of stored (uncompressed) entries, written by hand: local
// headers, the central directory and its end record, each entry's CRC-32.
// Stored because WAV audio hardly compresses and every unzip reads it; no
// ZIP64, so an archive stays under 4 GiB and 65,535 entries (Error(too_large)
// beyond). Names are UTF-8 (flag 11) with '/' between folders.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace soundlens {

// CRC-32 (IEEE 802.3, as ZIP and gzip use it).
std::uint32_t crc32(std::span<const std::uint8_t> bytes);

class ZipWriter {
 public:
  // Error(bad_request) for an empty name, one starting with '/', holding "..", a backslash or a
  // control byte, or a name given twice; Error(too_large) past the limits above.
  void add(const std::string& name, std::span<const std::uint8_t> data);
  // The archive's bytes; the writer is empty afterwards.
  std::vector<std::uint8_t> finish();

 private:
  struct Entry {
    std::string name;
    std::uint32_t crc = 0, size = 0, offset = 0;
  };
  std::vector<std::uint8_t> out_;
  std::vector<Entry> entries_;
};

}  // namespace soundlens
