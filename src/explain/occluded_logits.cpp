#include "explain/detail/occluded_logits.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>
#include <vector>

namespace soundlens::detail {
namespace {

int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace

OccludedLogits::OccludedLogits(const StagedNetwork& net, torch::Tensor window, float fill, bool local)
    : net_(net), window_(window.contiguous()), fill_(fill) {
  if (local) prefix_ = net.local_prefix();
  if (prefix_.stages <= 0) return;
  torch::NoGradGuard no_grad;
  clean_ = window_.unsqueeze(0);
  for (int i = 0; i < prefix_.stages; ++i) clean_ = net.run_stage(i, clean_);
}

OccludedLogits::Crop OccludedLogits::crop_of(const Patch& p) const {
  const int64_t s = prefix_.stride, r = prefix_.radius;
  // Along one axis: the output cells whose span [s j - r, s j + r] meets [begin, end), and the
  // input crop, its ends on multiples of s, that holds all of their spans.
  auto axis = [&](int64_t begin, int64_t end, int64_t inputs, int64_t outputs) {
    const int64_t first = std::max<int64_t>(0, -floor_div(-(begin - r), s));  // ceil((begin - r) / s)
    const int64_t last = std::min(outputs - 1, floor_div(end - 1 + r, s));
    const int64_t crop_begin = std::max<int64_t>(0, floor_div(s * first - r, s) * s);
    const int64_t crop_end = std::min(inputs, -floor_div(-(s * last + r + 1), s) * s);
    return std::array<int64_t, 4>{crop_begin, crop_end, first, last + 1};
  };
  const auto m = axis(p.mel_begin, p.mel_end, window_.size(0), clean_.size(2));
  const auto f = axis(p.frame_begin, p.frame_end, window_.size(1), clean_.size(3));
  return {m[0], m[1], f[0], f[1], m[2], m[3], f[2], f[3]};
}

torch::Tensor OccludedLogits::occluded(const Patch& p, int64_t mel_begin, int64_t mel_end, int64_t frame_begin,
                                       int64_t frame_end) const {
  auto x = window_.slice(0, mel_begin, mel_end).slice(1, frame_begin, frame_end).clone();
  const int64_t m0 = std::clamp(p.mel_begin, mel_begin, mel_end) - mel_begin;
  const int64_t m1 = std::clamp(p.mel_end, mel_begin, mel_end) - mel_begin;
  const int64_t f0 = std::clamp(p.frame_begin, frame_begin, frame_end) - frame_begin;
  const int64_t f1 = std::clamp(p.frame_end, frame_begin, frame_end) - frame_begin;
  if (m1 > m0 && f1 > f0) x.slice(0, m0, m1).slice(1, f0, f1).fill_(fill_);
  return x;
}

torch::Tensor OccludedLogits::operator()(std::span<const Patch> patches) const {
  torch::NoGradGuard no_grad;
  const auto n = int64_t(patches.size());
  if (prefix_.stages <= 0) {
    std::vector<torch::Tensor> inputs;
    for (const auto& p : patches) inputs.push_back(occluded(p, 0, window_.size(0), 0, window_.size(1)));
    return run_stages(net_, 0, torch::stack(inputs), {}).logits;
  }
  auto y = clean_.expand({n, -1, -1, -1}).contiguous(torch::MemoryFormat::ChannelsLast);
  // Patches whose crops have the same shape go through the prefix together.
  std::vector<Crop> crops;
  std::map<std::pair<int64_t, int64_t>, std::vector<int64_t>> by_shape;
  for (int64_t i = 0; i < n; ++i) {
    crops.push_back(crop_of(patches[size_t(i)]));
    const auto& c = crops.back();
    by_shape[{c.mel_end - c.mel_begin, c.frame_end - c.frame_begin}].push_back(i);
  }
  for (const auto& [shape, members] : by_shape) {
    std::vector<torch::Tensor> inputs;
    for (auto i : members) {
      const auto& c = crops[size_t(i)];
      inputs.push_back(occluded(patches[size_t(i)], c.mel_begin, c.mel_end, c.frame_begin, c.frame_end));
    }
    auto out = torch::stack(inputs);
    for (int i = 0; i < prefix_.stages; ++i) out = net_.run_stage(i, out);
    for (size_t k = 0; k < members.size(); ++k) {
      const auto& c = crops[size_t(members[k])];
      const int64_t row0 = c.mel_begin / prefix_.stride, col0 = c.frame_begin / prefix_.stride;
      y[members[k]]
          .slice(1, c.row_begin, c.row_end)
          .slice(2, c.col_begin, c.col_end)
          .copy_(out[int64_t(k)]
                     .slice(1, c.row_begin - row0, c.row_end - row0)
                     .slice(2, c.col_begin - col0, c.col_end - col0));
    }
  }
  return run_stages(net_, prefix_.stages, y, {}).logits;
}

}  // namespace soundlens::detail
