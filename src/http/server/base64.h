#pragma once
#include <cstdint>
#include <span>
#include <string>

namespace soundlens::http {

std::string base64_encode(std::span<const std::uint8_t> bytes);

}  // namespace soundlens::http
