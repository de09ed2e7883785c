#pragma once
// Bounds-checked access to FlatBuffers tables (the format of .tflite files),
// written from the FlatBuffers binary format: little-endian; a table starts
// with an int32 offset back to its vtable; a vtable is [its size in bytes,
// the table's inline size, one uint16 offset per field (0 = absent)]; tables,
// vectors and strings are reached through uint32 offsets relative to where
// the offset is stored; a vector is a uint32 count followed by its elements.
//
// Every read is checked against the buffer: a malformed or hostile file gives
// FlatBufferError, never a read outside the bytes. Field ids are the order of
// the schema's fields (a union takes two: its type, then its value).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace soundlens::tflite {

class FlatBufferError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class FbTable {
 public:
  // The root table: the uint32 offset at the start of the buffer.
  static FbTable root(std::span<const std::uint8_t> bytes);

  template <class T>
  T scalar(int field, T fallback) const {
    const auto at = field_position(field, sizeof(T));
    return at ? load<T>(*at) : fallback;
  }
  std::optional<FbTable> table(int field) const;
  std::vector<FbTable> tables(int field) const;  // a vector of tables
  std::string string(int field) const;
  std::span<const std::uint8_t> bytes(int field) const;  // a [ubyte] vector, in place

  // A vector of scalars, copied (elements need not be aligned in the file).
  template <class T>
  std::vector<T> vector(int field) const {
    const auto [start, count] = vector_span(field, sizeof(T));
    std::vector<T> out(count);
    if (count > 0) std::memcpy(out.data(), bytes_.data() + start, count * sizeof(T));
    return out;
  }

 private:
  FbTable(std::span<const std::uint8_t> bytes, std::size_t position);

  template <class T>
  T load(std::size_t at) const {
    check(at, sizeof(T));
    T value;
    std::memcpy(&value, bytes_.data() + at, sizeof(T));
    return value;
  }
  void check(std::size_t at, std::size_t size) const;
  // Where a present field's value lies (checked to hold `size` bytes), or nullopt.
  std::optional<std::size_t> field_position(int field, std::size_t size) const;
  std::optional<std::size_t> follow(int field) const;  // the target of an offset field
  // First element and element count of a vector field (empty when absent).
  std::pair<std::size_t, std::size_t> vector_span(int field, std::size_t element_size) const;

  std::span<const std::uint8_t> bytes_;
  std::size_t position_ = 0;
  std::size_t vtable_ = 0;
  std::size_t vtable_size_ = 0;
  std::size_t table_size_ = 0;
};

}  // namespace soundlens::tflite
