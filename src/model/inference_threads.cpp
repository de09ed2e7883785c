#include <torch/torch.h>

#include "core/idle_cores.h"
#include "model/model.h"

namespace soundlens {

void set_inference_threads(int threads) {
  const int n = threads > 0 ? threads : idle_cores();
  torch::set_num_threads(n);
}

int inference_threads() { return torch::get_num_threads(); }

}  // namespace soundlens
