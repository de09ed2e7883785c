#include "explain/method_names.h"

namespace soundlens {

std::vector<std::string> explanation_method_names() {
  return {"gradcam", "gradcam++", "layercam", "integrated-gradients", "occlusion"};
}

}  // namespace soundlens
