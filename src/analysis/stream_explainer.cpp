#include "analysis/stream_explainer.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"

namespace soundlens {
namespace {

// A method reads only the last block when its layers are the model's CAM layer alone.
bool reads_last_block_only(const ExplanationMethod& method, const ModelInfo& info) {
  const auto layers = method.layers(info);
  return layers.size() == 1 && layers.front() == info.cam_layer;
}

}  // namespace

StreamExplainer::StreamExplainer(const Model& model, const ExplanationMethod& method, int contrast,
                                 std::span<const int> pinned, int candidates, const CancelToken* cancel)
    : follow_(reads_last_block_only(method, model.info())),
      contrast_(contrast),
      candidates_(std::max(0, candidates)),
      explainer_(model, method, {}, cancel) {
  if (follow_)
    for (int c : pinned) join(c);
}

std::size_t StreamExplainer::join(int class_index) {
  for (std::size_t t = 0; t < explainer_.targets().size(); ++t)
    if (explainer_.targets()[t].class_index == class_index) return t;
  joined_.push_back(windows_);
  return explainer_.add_target({class_index, contrast_});
}

void StreamExplainer::first_batch(const WindowBatch& batch, std::span<const double> starts_s,
                                  std::span<const float> clip) {
  if (!follow_) return;
  std::vector<int> order;
  for (int c = 0; c < int(clip.size()); ++c)
    if (!std::isnan(clip[std::size_t(c)]) && c != contrast_) order.push_back(c);
  const auto k = std::min<std::size_t>(std::size_t(candidates_), order.size());
  std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(k), order.end(),
                    [&](int a, int b) { return clip[std::size_t(a)] > clip[std::size_t(b)]; });
  for (std::size_t i = 0; i < k; ++i) join(order[i]);
  explainer_.add(batch, starts_s);
  windows_ += batch.windows.size();
}

std::size_t StreamExplainer::plan(std::span<const int> targets, std::size_t windows) {
  if (follow_ && windows != windows_)
    throw Error(ErrorCode::internal, "stream explainer: the first reading explained " + std::to_string(windows_) +
                                         " of " + std::to_string(windows) + " windows");
  wanted_.clear();
  for (int c : targets) {
    const std::size_t before = explainer_.targets().size();
    const std::size_t t = join(c);
    if (t == before) joined_.back() = windows;  // new now: it missed every window
    wanted_.push_back(t);
  }
  missing_.assign(explainer_.targets().size(), 0);
  std::size_t prefix = 0;
  for (std::size_t t : wanted_) prefix = std::max(prefix, missing_[t] = joined_[t]);
  return prefix;
}

void StreamExplainer::second_batch(const WindowBatch& batch, std::span<const double> starts_s, std::size_t first) {
  std::vector<std::size_t> which;
  for (std::size_t t : wanted_)
    if (first < missing_[t] && std::find(which.begin(), which.end(), t) == which.end()) which.push_back(t);
  if (which.empty()) return;
  // A target joined at a batch's first window: a batch is wanted whole or not at all.
  for (std::size_t t : which)
    if (first + batch.windows.size() > missing_[t])
      throw Error(ErrorCode::internal, "stream explainer: a target joined inside a batch");
  explainer_.add_for(batch, starts_s, which);
}

std::vector<CamMap> StreamExplainer::finish(double duration_s) {
  return explainer_.finish_for(duration_s, wanted_);
}

}  // namespace soundlens
