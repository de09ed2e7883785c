// Writes example figures so a person can check them by eye:
//   render_examples [output-dir]   (default /tmp)
// -> render-example-{chirp-cam,chirp-plain,hour-cam,short,small}.png
#include <cstdio>
#include <fstream>
#include <string>

#include "render/figure.h"
#include "synthetic.h"

namespace {

void write(const std::string& dir, const std::string& name, const soundlens::FigureSpec& spec) {
  const std::vector<std::uint8_t> png = soundlens::render_figure_png(spec);
  const std::string path = dir + "/render-example-" + name + ".png";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(png.data()), std::streamsize(png.size()));
  std::printf("%s (%zu bytes)\n", path.c_str(), png.size());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace soundlens;
  const std::string dir = argc > 1 ? argv[1] : "/tmp";

  const MelSpectrogram chirp = synthetic::chirp(10);
  // mn04 resolution: 4 rows of 32 mel bins, 31 columns of 0.32 s.
  const CamMap blob = synthetic::blob_cam(4, 31, 0.32, 32, 6.2, 70, 0.8, 25);
  write(dir, "chirp-cam", {&chirp, &blob, "Chirp (p = 0.91): Grad-CAM on features.16, logit"});
  write(dir, "chirp-plain", {&chirp, nullptr, "Chirp: log-mel spectrogram"});

  const MelSpectrogram hour = synthetic::chirp(3600);
  const CamMap hour_cam = synthetic::blob_cam(4, 11'250, 0.32, 32, 1900, 40, 120, 30);
  write(dir, "hour-cam", {&hour, &hour_cam, "One hour: Grad-CAM stitched over 719 windows"});

  // PANNs-like: 64 bins over 50..14000 Hz, values in dB.
  MelSpectrogram short_clip = synthetic::chirp(0.3, 64);
  short_clip.center_hz = synthetic::mel_centres(64, 50, 14000);
  for (float& v : short_clip.values) v = v * 20.f - 30.f;
  const CamMap short_cam = synthetic::blob_cam(2, 1, 0.32, 32, 0.16, 20, 0.2, 20);
  write(dir, "short", {&short_clip, &short_cam, "A 0.3 s clip at PANNs resolution (64 bins)"});
  write(dir, "short-plain", {&short_clip, nullptr, "A 0.3 s clip, PANNs log-mel in dB"});

  write(dir, "small", {&chirp, &blob, "Small figure with a long title that must be shortened to fit", 480, 240});
  return 0;
}
