#pragma once
// Headers every response carries, so that a browser neither guesses types
// (nosniff), nor shows the service in a frame of another site, nor sends
// its URLs elsewhere as referrer, nor runs script from anywhere but here.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace soundlens::http {

// For everything that is not a page (JSON, images, audio): nothing may run.
extern const char* const api_content_security_policy;

// An HTML response that set no policy of its own gets the page policy without
// inline scripts (see page_content_security_policy).
std::vector<std::pair<std::string, std::string>> security_headers(const std::string& content_type);

// The CSP source of each inline <script> of an HTML page ('sha256-BASE64' of
// its text as a browser hashes it), in order, without repeats. The static
// export of Next.js boots with inline scripts (self.__next_f.push(...)):
// naming each one by its hash lets exactly those run, and no injected one.
std::vector<std::string> inline_script_hashes(std::string_view html);
// The policy of a page: scripts from this origin and the inline ones of these
// hashes only (no 'unsafe-inline' for scripts); styles keep 'unsafe-inline'
// (React sets style attributes); blob: and data: for the audio player and figures.
std::string page_content_security_policy(const std::vector<std::string>& script_hashes);

}  // namespace soundlens::http
