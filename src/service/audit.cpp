#include "service/audit.h"

#include <iostream>

#include <nlohmann/json.hpp>

namespace soundlens::service {

void append_audit(AuthStore* store, const AuditRecord& record) {
  if (!store) return;
  try {
    store->append_audit(record);
  } catch (const std::exception& e) {
    // The response is already made; losing an audit row must at least be loud.
    std::cerr << "{\"event\":\"audit_failed\",\"error\":" << nlohmann::json(e.what()).dump() << "}" << std::endl;
  }
}

}  // namespace soundlens::service
