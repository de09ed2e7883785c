#include <memory>
#include <stdexcept>

#include "core/error.h"
#include "explain/detail/methods.h"
#include "explain/method_names.h"

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
    std::vector<std::string> names;
    for (const auto& m : methods) names.push_back(m->name());
    if (names != explanation_method_names())
      throw std::logic_error("the explanation registry differs from explain/method_names.cpp");
  }
};

const Registry& registry() {
  static const Registry r;
  return r;
}

}  // namespace

const ExplanationMethod& explanation_method(const std::string& name) {
  std::string known;
  for (const auto& m : registry().methods) {
    if (m->name() == name) return *m;
    known += (known.empty() ? "" : ", ") + m->name();
  }
  throw Error(ErrorCode::bad_request, "unknown explanation method '" + name + "' (known: " + known + ")");
}

}  // namespace soundlens
