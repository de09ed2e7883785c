#pragma once
// The one error type of soundlens. Every stage throws soundlens::Error with a
// code; the HTTP layer maps codes to statuses in one table (http/error_status),
// the CLI prints them as JSON error objects.
#include <stdexcept>
#include <string>
#include <string_view>

namespace soundlens {

enum class ErrorCode {
  bad_request,         // 400: bad parameters, no file
  not_found,           // 404: unknown id, unknown class
  too_large,           // 413: upload over the size limit
  unsupported_format,  // 415: not decodable audio
  empty_audio,         // 422: decodable, but no samples
  silent_audio,        // 422: decodable, but digital silence
  too_short,           // 422: shorter than the minimum duration
  too_long,            // 422: longer than the maximum duration
  too_many_windows,    // 422: the window and hop would need more windows than the limit
  invalid_samples,     // 422: decodable, but NaN or infinite sample values
  model_not_loaded,    // 503: model file missing or not loaded yet
  busy,                // 503: analysis queue full
  timeout,             // 503: the analysis took longer than its time limit
  cancelled,           // 409: the analysis was cancelled (a job's DELETE)
  gone,                // 410: needs the recording, which this server does not keep (--store-audio no)
  speech_remains,      // 422: --redact-speech still hears speech after silencing it: not stored
  rate_limited,        // 429: the key's budget (requests, audio seconds) of this minute is spent
  quota_exceeded,      // 429: the user holds as many queued jobs (or bytes) as allowed
  insufficient_storage,// 507: the server's disk budget would be passed
  internal,            // 500: anything else (keep it last: the codes are 0 to internal, and /openapi.json lists them)
};

std::string_view error_code_name(ErrorCode code);

// A value someone sent, as an error message may quote it: control bytes as
// \xNN (a NUL would end the message at what()), cut after 100 bytes.
std::string quoted_value(std::string_view value);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  // With the seconds after which a retry may succeed (HTTP: Retry-After).
  Error(ErrorCode code, const std::string& message, int retry_after_s)
      : std::runtime_error(message), code_(code), retry_after_s_(retry_after_s) {}
  ErrorCode code() const { return code_; }
  int retry_after_s() const { return retry_after_s_; }  // 0: not said

 private:
  ErrorCode code_;
  int retry_after_s_ = 0;
};

}  // namespace soundlens
