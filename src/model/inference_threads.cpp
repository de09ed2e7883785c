#include <torch/torch.h>

#include <thread>

#include "model/model.h"

namespace soundlens {

void set_inference_threads(int threads) {
  const int n = threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(n);
}

int inference_threads() { return torch::get_num_threads(); }

}  // namespace soundlens
