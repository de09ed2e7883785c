#include "render/raster.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace soundlens::render {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// A sample position between two neighbouring inputs.
struct Lerp {
  int i0 = 0, i1 = 0;
  float w = 0;  // weight of i1
};

Lerp lerp_at(double pos, int n) {
  pos = std::clamp(pos, 0.0, double(n - 1));
  const int i0 = int(pos);
  return {i0, std::min(i0 + 1, n - 1), float(pos - i0)};
}

float mean_of_finite(const float* v, std::int64_t n) {
  float sum = 0;
  for (std::int64_t i = 0; i < n; ++i) sum += v[i];
  if (std::isfinite(sum)) return sum / float(n);
  // Rare: only now pay for a check per value.
  double s = 0;
  std::int64_t k = 0;
  for (std::int64_t i = 0; i < n; ++i)
    if (std::isfinite(v[i])) s += v[i], ++k;
  return k ? float(s / double(k)) : kNaN;
}

float clamp_relevance(float v) { return v > 0.f ? (v < 1.f ? v : 1.f) : 0.f; }  // NaN -> 0

}  // namespace

ColumnGrid spectrogram_columns(const MelSpectrogram& spec, int width) {
  ColumnGrid g{spec.n_mels, width, std::vector<float>(std::size_t(spec.n_mels) * width)};
  const std::int64_t n = spec.n_frames;
  for (int m = 0; m < spec.n_mels; ++m) {
    const float* in = spec.values.data() + std::size_t(m) * n;
    float* out = g.values.data() + std::size_t(m) * width;
    if (n >= width) {
      // Integer boundaries partition the frames: each lands in exactly one column.
      for (int x = 0; x < width; ++x) {
        const std::int64_t f0 = x * n / width, f1 = (x + 1) * n / width;
        out[x] = mean_of_finite(in + f0, f1 - f0);
      }
    } else {
      for (int x = 0; x < width; ++x) {
        const Lerp l = lerp_at((x + 0.5) * double(n) / width - 0.5, int(n));
        out[x] = in[l.i0] + (in[l.i1] - in[l.i0]) * l.w;
      }
    }
  }
  return g;
}

ColumnGrid cam_columns(const CamMap& cam, double duration_s, int width) {
  ColumnGrid g{cam.rows, width, std::vector<float>(std::size_t(cam.rows) * width, -1.f)};
  const double spc = cam.seconds_per_column;
  const double px_s = duration_s / width;
  const double covered_s = cam.cols * spc;
  for (int x = 0; x < width; ++x) {
    const double t0 = x * px_s, t1 = (x + 1) * px_s;
    if (t0 >= covered_s) break;
    if (px_s >= spc) {
      // The epsilon keeps a cell that only touches the column's edge out.
      const int c0 = std::min(cam.cols - 1, int(std::floor(t0 / spc + 1e-9)));
      const int c1 = std::min(cam.cols, int(std::ceil(t1 / spc - 1e-9)));
      for (int r = 0; r < cam.rows; ++r) {
        float best = 0;
        for (int c = c0; c < std::max(c1, c0 + 1); ++c) best = std::max(best, clamp_relevance(cam.at(r, c)));
        g.values[std::size_t(r) * width + x] = best;
      }
    } else {
      const double centre = (t0 + t1) / 2;
      if (centre >= covered_s) break;
      const Lerp l = lerp_at(centre / spc - 0.5, cam.cols);
      for (int r = 0; r < cam.rows; ++r) {
        const float a = clamp_relevance(cam.at(r, l.i0)), b = clamp_relevance(cam.at(r, l.i1));
        g.values[std::size_t(r) * width + x] = a + (b - a) * l.w;
      }
    }
  }
  return g;
}

ValueRange display_range(const ColumnGrid& spectrogram) {
  std::vector<float> finite;
  finite.reserve(spectrogram.values.size());
  for (float v : spectrogram.values)
    if (std::isfinite(v)) finite.push_back(v);
  if (finite.empty()) return {0.f, 1.f};
  const auto p1 = finite.begin() + std::ptrdiff_t(finite.size() / 100);
  std::nth_element(finite.begin(), p1, finite.end());
  const float lo = *p1;
  const float hi = *std::max_element(p1, finite.end());
  // A constant spectrogram still needs a non-empty range to divide by.
  if (!(hi - lo > 1e-6f * std::max(1.f, std::fabs(lo)))) return {lo - 0.5f, lo + 0.5f};
  return {lo, hi};
}

void paint_plot(const ColumnGrid& spectrogram, ValueRange range, const Colormap& base,
                const Overlay* overlay, PixelBuffer out) {
  const int n_mels = spectrogram.rows;
  const float inv = 1.f / (range.hi - range.lo);
  const Colormap& heat = jet_like();
  for (int y = 0; y < out.height; ++y) {
    // Continuous mel coordinate of this pixel row's centre: bin k spans [k, k+1).
    const double m = (out.height - y - 0.5) / out.height * n_mels;
    const Lerp s = lerp_at(m - 0.5, n_mels);
    const float* s0 = spectrogram.row(s.i0);
    const float* s1 = spectrogram.row(s.i1);
    const float* c0 = nullptr;
    const float* c1 = nullptr;
    float cw = 0;
    if (overlay && m < overlay->cam->rows * overlay->mel_bins_per_row) {
      const Lerp c = lerp_at(m / overlay->mel_bins_per_row - 0.5, overlay->cam->rows);
      c0 = overlay->cam->row(c.i0);
      c1 = overlay->cam->row(c.i1);
      cw = c.w;
    }
    std::uint32_t* px = out.pixels + std::size_t(y) * out.stride_words;
    for (int x = 0; x < out.width; ++x) {
      const float v = s0[x] + (s1[x] - s0[x]) * s.w;
      const Rgb& under = base((v - range.lo) * inv);
      if (c0 && c0[x] >= 0.f && c1[x] >= 0.f) {
        const float h = c0[x] + (c1[x] - c0[x]) * cw;
        px[x] = pack_argb(mix(under, heat(h), overlay_alpha_for(h, overlay->max_alpha)));
      } else {
        px[x] = pack_argb(under);
      }
    }
  }
}

void paint_colorbar(const Colormap& base, const Overlay* overlay, PixelBuffer out) {
  const Rgb& backdrop = base(0.4f);
  for (int y = 0; y < out.height; ++y) {
    const float v = 1.f - (y + 0.5f) / out.height;
    const std::uint32_t word =
        overlay ? pack_argb(mix(backdrop, jet_like()(v), overlay_alpha_for(v, overlay->max_alpha)))
                : pack_argb(base(v));
    std::fill_n(out.pixels + std::size_t(y) * out.stride_words, out.width, word);
  }
}

}  // namespace soundlens::render
