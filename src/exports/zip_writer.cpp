#include "exports/zip_writer.h"

#include <array>
#include <limits>

#include "core/error.h"

namespace soundlens {
namespace {

constexpr std::uint16_t kVersion = 20;        // 2.0: folders in names
constexpr std::uint16_t kUtf8Names = 0x0800;  // general purpose flag bit 11
constexpr std::uint16_t kDosTime = 0;         // 00:00:00
constexpr std::uint16_t kDosDate = (0 << 9) | (1 << 5) | 1;  // 1980-01-01: archives do not depend on the clock
constexpr std::size_t kMaxEntries = 65535;

const std::array<std::uint32_t, 256>& crc_table() {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t n = 0; n < 256; ++n) {
      std::uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  return table;
}

void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(std::uint8_t(v));
  out.push_back(std::uint8_t(v >> 8));
}
void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  put16(out, std::uint16_t(v));
  put16(out, std::uint16_t(v >> 16));
}
void put_name(std::vector<std::uint8_t>& out, const std::string& name) { out.insert(out.end(), name.begin(), name.end()); }

void check_name(const std::string& name) {
  bool bad = name.empty() || name.front() == '/' || name.size() > 0xFFFF || name.find("..") != std::string::npos ||
             name.find('\\') != std::string::npos;
  for (unsigned char c : name) bad = bad || c < 0x20 || c == 0x7f;
  if (bad) throw Error(ErrorCode::bad_request, "not a safe name for a ZIP entry: " + quoted_value(name));
}

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> bytes) {
  const auto& table = crc_table();
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::uint8_t b : bytes) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void ZipWriter::add(const std::string& name, std::span<const std::uint8_t> data) {
  check_name(name);
  for (const auto& e : entries_)
    if (e.name == name) throw Error(ErrorCode::bad_request, "two ZIP entries named " + quoted_value(name));
  constexpr std::size_t limit = std::numeric_limits<std::uint32_t>::max();
  if (entries_.size() >= kMaxEntries || data.size() > limit || out_.size() + 30 + name.size() + data.size() > limit)
    throw Error(ErrorCode::too_large, "the archive would pass 4 GiB or 65,535 files");
  Entry e{name, crc32(data), std::uint32_t(data.size()), std::uint32_t(out_.size())};
  put32(out_, 0x04034b50);
  put16(out_, kVersion);
  put16(out_, kUtf8Names);
  put16(out_, 0);  // stored
  put16(out_, kDosTime);
  put16(out_, kDosDate);
  put32(out_, e.crc);
  put32(out_, e.size);  // compressed = uncompressed
  put32(out_, e.size);
  put16(out_, std::uint16_t(name.size()));
  put16(out_, 0);  // no extra field
  put_name(out_, name);
  out_.insert(out_.end(), data.begin(), data.end());
  entries_.push_back(std::move(e));
}

std::vector<std::uint8_t> ZipWriter::finish() {
  const std::size_t directory_at = out_.size();
  for (const auto& e : entries_) {
    put32(out_, 0x02014b50);
    put16(out_, kVersion);  // made by: MS-DOS attributes, version 2.0
    put16(out_, kVersion);
    put16(out_, kUtf8Names);
    put16(out_, 0);
    put16(out_, kDosTime);
    put16(out_, kDosDate);
    put32(out_, e.crc);
    put32(out_, e.size);
    put32(out_, e.size);
    put16(out_, std::uint16_t(e.name.size()));
    put16(out_, 0);  // extra
    put16(out_, 0);  // comment
    put16(out_, 0);  // disk
    put16(out_, 0);  // internal attributes
    put32(out_, 0);  // external attributes
    put32(out_, e.offset);
    put_name(out_, e.name);
  }
  const std::size_t directory_size = out_.size() - directory_at;
  if (out_.size() > std::numeric_limits<std::uint32_t>::max())
    throw Error(ErrorCode::too_large, "the archive would pass 4 GiB");
  put32(out_, 0x06054b50);
  put16(out_, 0);
  put16(out_, 0);
  put16(out_, std::uint16_t(entries_.size()));
  put16(out_, std::uint16_t(entries_.size()));
  put32(out_, std::uint32_t(directory_size));
  put32(out_, std::uint32_t(directory_at));
  put16(out_, 0);  // no comment
  std::vector<std::uint8_t> done;
  done.swap(out_);
  entries_.clear();
  return done;
}

}  // namespace soundlens
