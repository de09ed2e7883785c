#pragma once
// Appending to the audit log, for the routes' records and for what a job
// creates in the name of whoever submitted it.
#include "storage/auth_store.h"

namespace soundlens::service {

// Appends to the audit log of `store` (null: there is none). A failure is
// logged loudly, never thrown: the work it records is already done.
void append_audit(AuthStore* store, const AuditRecord& record);

}  // namespace soundlens::service
