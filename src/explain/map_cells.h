#pragma once
// Where a map's cells lie on the spectrogram it explains: rows of
// mel_bins_per_row mel bins from the lowest, columns of frames_per_column
// frames from frame 0. Faithfulness removes these cells; listening projects
// them onto the STFT.
#include <vector>

#include "explain/cam_map.h"

namespace soundlens {

struct MapCells {
  int rows = 0, cols = 0;
  int frames_per_column = 0;
  std::vector<int> row_first_mel;  // rows + 1 edges: row r covers mel bins [row_first_mel[r], row_first_mel[r + 1])
};

// Checks the map's shape against a spectrogram of n_mels bins and hop
// seconds_per_frame. frames_per_column 0 is read off seconds_per_column and
// mel_bins_per_row 0 as n_mels / rows. Throws Error(bad_request) naming what does not fit.
MapCells map_cells(const CamMap& map, int n_mels, double seconds_per_frame);

}  // namespace soundlens
