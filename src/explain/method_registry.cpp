#include <memory>

#include "core/error.h"
#include "explain/detail/methods.h"

namespace soundlens {
namespace {

struct Registry {
  std::vector<std::unique_ptr<ExplanationMethod>> methods;
  Registry() {
    methods.push_back(detail::make_grad_cam());
    methods.push_back(detail::make_grad_cam_plus_plus());
    methods.push_back(detail::make_layer_cam());
    methods.push_back(detail::make_integrated_gradients());
    methods.push_back(detail::make_occlusion());
  }
};

const Registry& registry() {
  static const Registry r;
  return r;
}

}  // namespace

std::vector<std::string> explanation_method_names() {
  std::vector<std::string> names;
  for (const auto& m : registry().methods) names.push_back(m->name());
  return names;
}

const ExplanationMethod& explanation_method(const std::string& name) {
  std::string known;
  for (const auto& m : registry().methods) {
    if (m->name() == name) return *m;
    known += (known.empty() ? "" : ", ") + m->name();
  }
  throw Error(ErrorCode::bad_request, "unknown explanation method '" + name + "' (known: " + known + ")");
}

}  // namespace soundlens
