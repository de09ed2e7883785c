#pragma once
// What this program was built from: the git commit (12 hex digits, "-modified"
// when the work tree had uncommitted changes, "unknown" outside a git clone),
// written at build time by cmake/build_info.cmake. The version is SOUNDLENS_VERSION.
namespace soundlens {

const char* build_commit();

}  // namespace soundlens
