// Occlusion (Zeiler and Fergus 2014), model-agnostic: a patch of the log-mel
// input (default 0.32 s by 16 mel bins) is set to the model's silence floor,
// and the score's drop, score(x) - score(occluded x), is recorded. The patch
// moves by half its size, so the map's cells are half a patch; patch positions
// start half a patch before the input, so that every cell is covered by
// exactly four patch positions (two per axis; parts outside the input are
// ignored). A cell's value is the mean drop of the patches covering it, and
// the map shows the positive part. The occluded inputs are batched (the batches
// side by side, one per inference thread: for_each_piece_side_by_side), and the
// network's first stages run only around each patch when the model declares
// them local (detail/occluded_logits.h).
#include <algorithm>
#include <cmath>
#include <mutex>
#include <optional>

#include "core/error.h"
#include "explain/detail/methods.h"
#include "explain/detail/occluded_logits.h"
#include "explain/detail/torch_explain.h"
#include "model/detail/layers.h"
#include "model/inference_workers.h"

namespace soundlens {
namespace {

class Occlusion : public ExplanationMethod {
 public:
  Occlusion(double patch_s, int patch_mels, int batch, bool local)
      : patch_s_(patch_s), patch_mels_(patch_mels), batch_(batch), local_(local) {
    if (!(patch_s > 0) || patch_mels < 2 || batch < 0)
      throw Error(ErrorCode::bad_request, "occlusion needs a patch of at least 2 mel bins and some time");
  }
  std::string name() const override { return "occlusion"; }
  std::vector<std::string> layers(const ModelInfo&) const override { return {"input"}; }

  std::vector<std::vector<CamGrid>> compute(const Model& model, const ForwardPass& pass,
                                            std::span<const MelSpectrogram> windows,
                                            std::span<const ExplainTarget> targets,
                                            const CancelToken* cancel) const override {
    const auto& info = model.info();
    detail::check_targets(targets, info.num_classes);
    if (windows.empty() || int(windows.size()) != pass.windows())
      throw Error(ErrorCode::internal, "occlusion: windows and pass differ");
    const Cells cells = cells_of(windows[0]);
    const int cell_frames = cells.frames, cell_mels = cells.mels, rows = cells.rows, cols = cells.cols;
    const int mels = windows[0].n_mels, frames = windows[0].n_frames;
    // Patch (r, c) covers cells r and r + 1, c and c + 1; r from -1 to rows - 1.
    std::vector<std::pair<int, int>> positions;
    for (int r = -1; r < rows; ++r)
      for (int c = -1; c < cols; ++c) positions.emplace_back(r, c);

    const auto* tp = dynamic_cast<const detail::TorchForwardPass*>(&pass);
    const auto* net = tp != nullptr ? tp->network() : nullptr;
    torch::NoGradGuard no_grad;
    const auto input = detail::stack_spectrograms(windows);
    constexpr int kBatchFrames = 8000;
    const size_t per_pass = batch_ > 0 ? size_t(batch_) : size_t(std::max(1, kBatchFrames / frames));
    std::vector<std::vector<CamGrid>> out(targets.size());
    for (int64_t w = 0; w < input.size(0); ++w) {
      const auto logits = pass.logits(int(w));
      const auto original = torch::from_blob(const_cast<float*>(logits.data()), {1, int64_t(logits.size())}).clone();
      std::optional<detail::OccludedLogits> occluded_logits;
      if (net != nullptr) occluded_logits.emplace(*net, input[w], float(info.silence_floor), local_);
      // drops[t][position]; the batches of positions run side by side, each writing its own positions.
      std::vector<std::vector<double>> drops(targets.size(), std::vector<double>(positions.size()));
      const int batches = int((positions.size() + per_pass - 1) / per_pass);
      std::mutex progress_mutex;
      size_t positions_done = 0;
      for_each_piece_side_by_side(batches, [&](int b) {
        check_cancel(cancel);
        torch::NoGradGuard no_grad_here;
        const size_t first = size_t(b) * per_pass, n = std::min(per_pass, positions.size() - first);
        std::vector<detail::Patch> patches;
        for (size_t i = 0; i < n; ++i) {
          const auto [r, c] = positions[first + i];
          patches.push_back({std::max(0, r * cell_mels), std::min(mels, (r + 2) * cell_mels),
                             std::max(0, c * cell_frames), std::min(frames, (c + 2) * cell_frames)});
        }
        const auto occluded = occluded_logits ? (*occluded_logits)(patches)
                                              : run(model, occluded_inputs(input[w], patches, info.silence_floor),
                                                    windows[0]);
        for (size_t t = 0; t < targets.size(); ++t) {
          const auto d = (detail::target_score(original, targets[t]) - detail::target_score(occluded, targets[t]))
                             .to(torch::kDouble).contiguous();
          std::copy(d.data_ptr<double>(), d.data_ptr<double>() + n, drops[t].begin() + long(first));
        }
        const std::lock_guard lock(progress_mutex);  // one report at a time, never going back
        positions_done += n;
        report_progress(cancel, (double(w) * double(positions.size()) + double(positions_done)) /
                                    (double(input.size(0)) * double(positions.size())));
      });
      for (size_t t = 0; t < targets.size(); ++t) {
        CamGrid g;
        g.rows = rows;
        g.cols = cols;
        g.frames_per_column = cell_frames;
        g.mel_bins_per_row = cell_mels;
        g.values.resize(std::size_t(rows) * cols);
        for (int r = 0; r < rows; ++r)
          for (int c = 0; c < cols; ++c) {
            double sum = 0;  // the four patches (r - 1 .. r, c - 1 .. c) covering the cell
            for (int pr = r - 1; pr <= r; ++pr)
              for (int pc = c - 1; pc <= c; ++pc) sum += drops[t][size_t(pr + 1) * (cols + 1) + size_t(pc + 1)];
            g.values[size_t(r) * cols + c] = float(std::max(0.0, sum / 4));
          }
        out[t].push_back(std::move(g));
      }
    }
    return out;
  }

  // One pass per patch position: (rows + 1) x (cols + 1).
  double passes_per_window(const MelSpectrogram& like) const override {
    const Cells c = cells_of(like);
    return double(c.rows + 1) * double(c.cols + 1);
  }

 private:
  double patch_s_;
  int patch_mels_, batch_;
  bool local_;

  static torch::Tensor occluded_inputs(const torch::Tensor& window, std::span<const detail::Patch> patches,
                                       double fill) {
    auto batch = window.unsqueeze(0).repeat({int64_t(patches.size()), 1, 1});
    for (size_t i = 0; i < patches.size(); ++i) {
      const auto& p = patches[i];
      batch[int64_t(i)].slice(0, p.mel_begin, p.mel_end).slice(1, p.frame_begin, p.frame_end).fill_(fill);
    }
    return batch;
  }

  // Cells are half a patch; sizes in frames and mel bins are whole and even.
  struct Cells {
    int frames, mels, rows, cols;
  };
  Cells cells_of(const MelSpectrogram& like) const {
    const int frames = std::max(1, int(std::lround(patch_s_ / like.seconds_per_frame / 2)));
    const int mels = patch_mels_ / 2;
    return {frames, mels, (like.n_mels + mels - 1) / mels, (like.n_frames + frames - 1) / frames};
  }

  // Logits of a batch (n, mels, frames) through Model::forward (any model).
  static torch::Tensor run(const Model& model, const torch::Tensor& batch, const MelSpectrogram& like) {
    std::vector<MelSpectrogram> mels(size_t(batch.size(0)), like);
    for (size_t i = 0; i < mels.size(); ++i) {
      const auto b = batch[int64_t(i)].contiguous();
      std::copy(b.data_ptr<float>(), b.data_ptr<float>() + b.numel(), mels[i].values.begin());
    }
    const auto p = model.forward(mels);
    auto logits = torch::empty({int64_t(mels.size()), int64_t(model.info().num_classes)});
    for (int i = 0; i < p->windows(); ++i)
      std::copy(p->logits(i).begin(), p->logits(i).end(), logits[i].data_ptr<float>());
    return logits;
  }
};

}  // namespace

namespace detail {
std::unique_ptr<ExplanationMethod> make_occlusion(double patch_s, int patch_mels, int batch, bool local) {
  return std::make_unique<Occlusion>(patch_s, patch_mels, batch, local);
}
}  // namespace detail

}  // namespace soundlens
