#include "model/tflite/flatbuffer.h"

namespace soundlens::tflite {

void FbTable::check(std::size_t at, std::size_t size) const {
  if (at > bytes_.size() || size > bytes_.size() - at)
    throw FlatBufferError("offset " + std::to_string(at) + " (+" + std::to_string(size) +
                          " bytes) lies outside the file of " + std::to_string(bytes_.size()) + " bytes");
}

FbTable FbTable::root(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 8) throw FlatBufferError("the file is too short to be a flatbuffer");
  std::uint32_t root = 0;
  std::memcpy(&root, bytes.data(), sizeof root);
  return FbTable(bytes, root);
}

FbTable::FbTable(std::span<const std::uint8_t> bytes, std::size_t position) : bytes_(bytes), position_(position) {
  const auto back = load<std::int32_t>(position_);
  // The vtable is at position - back; both directions are legal.
  const auto vtable = std::int64_t(position_) - std::int64_t(back);
  if (vtable < 0 || std::uint64_t(vtable) > bytes_.size())
    throw FlatBufferError("a table's vtable lies outside the file");
  vtable_ = std::size_t(vtable);
  vtable_size_ = load<std::uint16_t>(vtable_);
  table_size_ = load<std::uint16_t>(vtable_ + 2);
  if (vtable_size_ < 4 || vtable_size_ % 2 != 0) throw FlatBufferError("a vtable has an impossible size");
  check(vtable_, vtable_size_);
  if (table_size_ < 4) throw FlatBufferError("a table has an impossible size");
  check(position_, table_size_);
}

std::optional<std::size_t> FbTable::field_position(int field, std::size_t size) const {
  const std::size_t slot = 4 + 2 * std::size_t(field);
  if (slot + 2 > vtable_size_) return std::nullopt;  // a field newer than the file's writer
  const auto offset = load<std::uint16_t>(vtable_ + slot);
  if (offset == 0) return std::nullopt;
  if (offset + size > table_size_) throw FlatBufferError("a field lies outside its table");
  const std::size_t at = position_ + offset;
  check(at, size);
  return at;
}

std::optional<std::size_t> FbTable::follow(int field) const {
  const auto at = field_position(field, sizeof(std::uint32_t));
  if (!at) return std::nullopt;
  const std::uint64_t target = std::uint64_t(*at) + load<std::uint32_t>(*at);
  if (target >= bytes_.size()) throw FlatBufferError("an offset points outside the file");
  return std::size_t(target);
}

std::pair<std::size_t, std::size_t> FbTable::vector_span(int field, std::size_t element_size) const {
  const auto at = follow(field);
  if (!at) return {0, 0};
  const std::uint64_t count = load<std::uint32_t>(*at);
  const std::uint64_t start = std::uint64_t(*at) + 4;
  if (count * element_size > bytes_.size() - std::min<std::uint64_t>(start, bytes_.size()))
    throw FlatBufferError("a vector of " + std::to_string(count) + " elements runs past the end of the file");
  return {std::size_t(start), std::size_t(count)};
}

std::optional<FbTable> FbTable::table(int field) const {
  const auto at = follow(field);
  if (!at) return std::nullopt;
  return FbTable(bytes_, *at);
}

std::vector<FbTable> FbTable::tables(int field) const {
  const auto [start, count] = vector_span(field, sizeof(std::uint32_t));
  std::vector<FbTable> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t at = start + 4 * i;
    const std::uint64_t target = std::uint64_t(at) + load<std::uint32_t>(at);
    if (target >= bytes_.size()) throw FlatBufferError("a table offset points outside the file");
    out.push_back(FbTable(bytes_, std::size_t(target)));
  }
  return out;
}

std::string FbTable::string(int field) const {
  const auto [start, count] = vector_span(field, 1);
  return std::string(reinterpret_cast<const char*>(bytes_.data()) + start, count);
}

std::span<const std::uint8_t> FbTable::bytes(int field) const {
  const auto [start, count] = vector_span(field, 1);
  return bytes_.subspan(start, count);
}

}  // namespace soundlens::tflite
