#pragma once
// One RFC 4180 CSV field, for every table the program writes.
#include <string>

namespace soundlens {

// Quoted when it holds a comma, quote or line break; quotes doubled.
std::string csv_field(const std::string& s);

}  // namespace soundlens
