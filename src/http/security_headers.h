#pragma once
// Headers every response carries, so that a browser neither guesses types
// (nosniff), nor shows the service in a frame of another site, nor sends
// its URLs elsewhere as referrer, nor runs script from anywhere but here.
#include <string>
#include <utility>
#include <vector>

namespace soundlens::http {

// The Content-Security-Policy of the web app and the docs page. The static
// export of Next.js boots with inline scripts (self.__next_f.push(...)) and
// sets inline styles, hence 'unsafe-inline' for those two; everything else
// comes from this origin only (blob: and data: for the audio player and figures).
extern const char* const web_content_security_policy;
// For everything that is not a page (JSON, images, audio): nothing may run.
extern const char* const api_content_security_policy;

std::vector<std::pair<std::string, std::string>> security_headers(const std::string& content_type);

}  // namespace soundlens::http
