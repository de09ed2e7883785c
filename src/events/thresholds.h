#pragma once
// The data events are placed with, kept as tables in data/ (read and diffed
// like code, compiled into the program so that nothing is looked up at run
// time): per-model class thresholds (data/thresholds/<model>.csv, made by
// tools/events/calibrate.py) and the classes that name one sound
// (data/events/related.csv, made by tools/events/related_classes.py).
#include <string>
#include <utility>
#include <vector>

#include "events/frame_events.h"

namespace soundlens {

// "index,label,threshold,low" rows ('#' lines are comments). Throws
// Error(internal) naming the table and line when a row is malformed.
std::vector<ClassRule> parse_class_rules(const std::string& csv, const std::string& table);
// "index_a,label_a,index_b,label_b,why" rows.
std::vector<std::pair<int, int>> parse_related_classes(const std::string& csv, const std::string& table);

// A named extra column of a compiled-in table thresholds/<model>.csv (found by its header):
// {index, value, line} per row; empty when the table or the column is absent.
struct TableCell {
  int index = 0;
  std::string value;
  int line = 0;
};
std::vector<TableCell> class_table_column(const std::string& model, const std::string& column);

// The compiled-in tables: the model's rules (empty for a model without one)
// and the related pairs.
std::vector<ClassRule> model_class_rules(const std::string& model);
const std::vector<std::pair<int, int>>& related_classes();

}  // namespace soundlens
