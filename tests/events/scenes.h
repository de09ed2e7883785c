#pragma once
// The event evaluation set: real events (ESC-50 clips and real coughs) placed
// at known times over quiet real backgrounds (ESC-50 ambience), generated
// deterministically from ../shared/audio. Only the truth is kept in the
// repository (eval_truth.csv); the audio is made again each run.
#include <string>
#include <vector>

#include "audio/audio.h"

namespace soundlens::eval {

struct TruthEvent {
  int scene = 0;
  double onset_s = 0, offset_s = 0;
  int index = 0;             // the AudioSet class the sound is
  std::vector<int> accepts;  // classes a detection may carry to match it (index first)
  std::string label;
  std::string source;  // file under ../shared/audio
};

struct Scene {
  int id = 0;
  std::string background;  // file under ../shared/audio
  Audio audio;             // 32 kHz mono
};

struct EvalSet {
  std::vector<Scene> scenes;
  std::vector<TruthEvent> truth;  // by scene, then onset
};

inline constexpr unsigned kSeed = 20261128;
inline constexpr int kScenes = 12;
inline constexpr double kSceneSeconds = 40;

EvalSet make_eval_set(unsigned seed = kSeed);

// CSV: scene,onset_s,offset_s,index,accepts,label,source (accepts joined by ';').
std::string truth_csv(const std::vector<TruthEvent>& truth);

// The classes the evaluation watches (pinned): every accepted class of every source.
std::vector<int> watched_classes();

}  // namespace soundlens::eval
