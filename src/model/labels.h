#pragma once
// A model's classes in output order: the 527 AudioSet classes, or a trained model's own.
#include <optional>
#include <string>
#include <vector>

namespace soundlens {

struct ClassLabel {
  int index = 0;
  std::string mid;           // AudioSet id, e.g. "/m/01b_21"
  std::string display_name;  // e.g. "Cough"
};

class Labels {
 public:
  static Labels load_csv(const std::string& path);  // index,mid,display_name
  // A trained model's own classes (no AudioSet id).
  static Labels from_names(const std::vector<std::string>& names);
  const std::vector<ClassLabel>& all() const { return labels_; }
  int size() const { return int(labels_.size()); }
  const std::string& name(int index) const { return labels_.at(index).display_name; }
  // A class given as an index ("47") or a display name ("Cough", case-insensitive).
  std::optional<int> find(const std::string& index_or_name) const;

 private:
  std::vector<ClassLabel> labels_;
};

}  // namespace soundlens
