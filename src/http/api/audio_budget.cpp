#include "http/api/audio_budget.h"

#include <cmath>
#include <cstdio>

#include "audio/audio.h"
#include "core/error.h"
#include "http/api/service_state.h"

namespace soundlens::http {

AudioCharge& AudioCharge::operator=(AudioCharge&& other) noexcept {
  if (this == &other) return *this;
  refund();
  limiter_ = other.limiter_;
  key_id_ = std::move(other.key_id_);
  seconds_ = other.seconds_;
  other.limiter_ = nullptr;
  other.seconds_ = 0;
  return *this;
}

void AudioCharge::keep(double analysed_s) {
  if (!limiter_) return;
  // The admission charge was the container's word; what was decoded counts.
  if (analysed_s > seconds_) limiter_->charge_audio(key_id_, analysed_s - seconds_);
  else limiter_->refund_audio(key_id_, seconds_ - analysed_s);
  limiter_ = nullptr;
  seconds_ = 0;
}

void AudioCharge::hand_to_job(ServiceState& state, const std::string& job_id, double seconds) {
  if (!limiter_) return;
  seconds = std::min(seconds, seconds_);
  state.job_audio_charges.add(job_id, key_id_, seconds);
  seconds_ -= seconds;
}

void AudioCharge::refund() {
  if (limiter_ && seconds_ > 0) limiter_->refund_audio(key_id_, seconds_);
  limiter_ = nullptr;
  seconds_ = 0;
}

void JobAudioCharges::add(const std::string& job_id, const std::string& key_id, double seconds) {
  std::lock_guard lock(mutex_);
  charges_[job_id] = {key_id, seconds};
}

std::optional<JobAudioCharges::Charge> JobAudioCharges::take(const std::string& job_id) {
  std::lock_guard lock(mutex_);
  const auto it = charges_.find(job_id);
  if (it == charges_.end()) return std::nullopt;
  Charge charge = std::move(it->second);
  charges_.erase(it);
  return charge;
}

void JobAudioCharges::done(auth::RateLimiter& limiter, const std::string& job_id, double analysed_s) {
  if (auto charge = take(job_id)) AudioCharge(limiter, charge->key_id, charge->seconds).keep(analysed_s);
}

void JobAudioCharges::failed(auth::RateLimiter& limiter, const std::string& job_id) {
  if (auto charge = take(job_id)) limiter.refund_audio(charge->key_id, charge->seconds);
}

bool audio_budget_applies(const ServiceState& state, const Request& request) {
  return request.caller && !request.caller->key_id.empty() && state.rate_limiter.limits_audio();
}

AudioCharge charge_audio_s(ServiceState& state, const Request& request, double seconds) {
  if (!audio_budget_applies(state, request) || !(seconds > 0)) return {};
  const std::string& key = request.caller->key_id;
  if (const int retry = state.rate_limiter.try_charge_audio(key, seconds); retry > 0) {
    char limit[32];
    std::snprintf(limit, sizeof limit, "%g", state.config.rate_limits.audio_seconds_per_minute);
    char length[32];
    std::snprintf(length, sizeof length, "%.1f", seconds);
    throw Error(ErrorCode::rate_limited,
                "this API key's audio budget is spent: " + std::string(limit) +
                    " s of audio per minute (--rate-limit-audio-s); this recording lasts " + length +
                    " s; retry in " + std::to_string(retry) + " s",
                retry);
  }
  return AudioCharge(state.rate_limiter, key, seconds);
}

double upload_duration_s(const ServiceState& state, std::string_view bytes) {
  if (bytes.empty()) throw Error(ErrorCode::empty_audio, "the uploaded file is empty");
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  return memory_duration_s({data, bytes.size()}, DecodeOptions{.max_duration_s = state.config.max_duration_s});
}

}  // namespace soundlens::http
