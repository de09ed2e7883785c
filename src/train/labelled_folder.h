#pragma once
// Train stage: a folder of labelled recordings, DIR/<label>/... (nested
// folders allowed), read into classes and files. A folder named `none` or
// `background` holds the negative class. A recording found under two labels
// (the same bytes) carries both, and makes the layout multi-label.
#include <string>
#include <vector>

namespace soundlens {

struct LabelledFile {
  std::string path;         // as found
  std::string relative;     // DIR-relative, for messages and the model's record
  std::string sha256;       // of the bytes
  std::vector<int> labels;  // indices into LabelledFolder::classes; empty: the negative class
};

struct LabelledFolder {
  std::vector<std::string> classes;  // sorted; the negative class is not one
  bool multi_label = false;
  bool negative_class = false;
  std::vector<LabelledFile> files;   // sorted by relative path
  std::vector<std::string> skipped;  // "relative path: why", never silently
};

// Error(bad_request) naming the folder or label: not a directory, no label
// folders, a label folder with no files, a label that is not a valid name
// (control characters, over 100 bytes), a single class without a negative one.
LabelledFolder read_labelled_folder(const std::string& dir);

// Whether the folder name is the negative class (`none`, `background`, any case).
bool is_negative_label(const std::string& name);

}  // namespace soundlens
