#pragma once
// The readable table `soundlens analyze` prints without --json.
#include <ostream>
#include <string>

#include "analysis/analysis.h"
#include "events/event.h"

namespace soundlens {

void print_text_report(std::ostream& out, const std::string& file, const Analysis& analysis,
                       const EventResult& events);

}  // namespace soundlens
