#pragma once
// The limits of a batch, apart from its routes, for the route table to declare (and the
// request-parameter fuzzer to compile without the service).
#include <cstddef>

namespace soundlens::http {

// The most files one batch may hold (the body is also bounded by --max-upload-mb).
inline constexpr std::size_t kMaxBatchFiles = 20;

}  // namespace soundlens::http
