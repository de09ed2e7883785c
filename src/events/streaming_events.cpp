#include "events/streaming_events.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.h"

namespace soundlens {

StreamingEvents::StreamingEvents(const FrameEventOptions& options, double seconds_per_frame, int classes,
                                 std::vector<int> pinned, std::vector<std::string> labels, Settle settle)
    : o_(options),
      spf_(seconds_per_frame),
      classes_(classes),
      pinned_(std::move(pinned)),
      labels_(std::move(labels)),
      when_(settle) {
  // The same checks detect_frame_events makes, on an empty evidence of this shape.
  const std::vector<float> none;
  FrameEventOptions checked = options;
  checked.present.clear();
  if (classes < 1 || !(seconds_per_frame > 0))
    throw Error(ErrorCode::internal, "streaming events: bad frame grid");
  detect_frame_events({seconds_per_frame, classes, none}, checked, {}, {});
  o_.present.clear();
  gap_frames_ = int(std::floor(o_.merge_gap_s / spf_ + 1e-9));
  state_.resize(std::size_t(classes));
  peak_.assign(std::size_t(classes), 0.0f);
  for (int c = 0; c < classes; ++c) {
    auto& s = state_[std::size_t(c)];
    s.index = c;
    s.high = o_.other_threshold;
    s.low = o_.other_low;
    s.other = std::find(pinned_.begin(), pinned_.end(), c) == pinned_.end();
  }
  related_to_.resize(std::size_t(classes));
  for (auto [a, b] : o_.related)
    if (a >= 0 && b >= 0 && a < classes && b < classes && a != b) {
      related_to_[std::size_t(a)].push_back(b);
      related_to_[std::size_t(b)].push_back(a);
    }
  for (const auto& r : o_.rules) {
    auto& s = state_[std::size_t(r.index)];
    s.high = r.threshold;
    s.low = r.low;
    s.other = false;
  }
}

void StreamingEvents::pin(int index) {
  if (index < 0 || index >= classes_) throw Error(ErrorCode::bad_request, "unknown class index");
  if (std::find(pinned_.begin(), pinned_.end(), index) != pinned_.end()) return;
  pinned_.push_back(index);
  state_[std::size_t(index)].other = false;
}

void StreamingEvents::end_on_quiet_columns() {
  if (!(o_.onset_fraction > 0)) throw Error(ErrorCode::internal, "streaming events: early ends need onset_fraction");
  quiet_frames_ = std::max(gap_frames_, 1);
}

void StreamingEvents::step(ClassState& s, int t, float p, float column, StreamedEventsOut& out) {
  if (s.spent && p >= s.low && s.seg_start >= 0 && column >= o_.onset_fraction * s.spent_peak && column > 0) {
    s.spent = false;  // a new sound in the pooled run that ended early: a run of its own from here
    s.seg_start = -1;
  }
  if (p >= s.low) {
    if (s.seg_start < 0) s.seg_start = t, s.seg_high = false, s.seg_peak = -1, s.seg_peak_frame = t;
    if (p > s.seg_peak) s.seg_peak = p, s.seg_peak_frame = t;
    if (p >= s.high) {
      s.seg_high = true;
      if (!s.heard && s.other) ++others_heard_;
      s.heard = true;
    }
  } else {
    s.seg_start = -1;
    s.spent = false;
  }
  const bool on = s.seg_start >= 0 && s.seg_high && !s.spent;
  if (on && s.open && s.seg_start <= s.ev_last + gap_frames_ + 1) {
    s.ev_last = t;
    if (s.seg_peak > s.ev_peak) s.ev_peak = s.seg_peak, s.ev_peak_frame = s.seg_peak_frame;
  } else if (on) {
    if (s.open) close(s);
    s.open = true, s.started = false;
    s.ev_first = s.seg_start, s.ev_last = t;
    s.ev_peak = s.seg_peak, s.ev_peak_frame = s.seg_peak_frame;
  }
  if (!s.open) return;
  const double length_s = (s.ev_last + 1 - s.ev_first) * spf_;
  if (!s.started && when_ == Settle::as_it_goes && length_s >= o_.min_duration_s - 1e-9) {
    s.started = true;
    StreamedEvent e;
    e.event.index = s.index;
    e.event.label = s.index < int(labels_.size()) ? labels_[std::size_t(s.index)] : std::string();
    e.event.onset_s = s.ev_first * spf_;
    e.event.offset_s = (s.ev_last + 1) * spf_;
    e.event.probability = s.ev_peak;
    e.event.low_hz = o_.low_hz, e.event.high_hz = o_.high_hz;
    e.peak_s = s.ev_peak_frame * spf_;
    out.started.push_back(std::move(e));
  }
  // No on-run can join any more: the next frame is past the gap, and no segment
  // that started within it is still waiting to reach the threshold.
  const int join_by = s.ev_last + gap_frames_ + 1;
  const bool waiting = s.seg_start >= 0 && !s.seg_high && s.seg_start <= join_by;
  if (t + 1 > join_by && !waiting) close(s);
}

void StreamingEvents::keep_column(ClassState& s, int t, float column) const {
  if (!(o_.onset_fraction > 0)) return;
  if ((!s.open && s.seg_start < 0) || s.spent) {  // nothing open (or a spent run): nothing to narrow later
    s.columns.clear();
    return;
  }
  if (s.columns.empty()) s.column_start = t;
  s.columns.push_back(column);
}

void StreamingEvents::end_if_quiet(ClassState& s, int t) {
  if (quiet_frames_ <= 0 || !s.open || s.columns.empty()) return;
  if ((s.ev_last + 1 - s.ev_first) * spf_ < o_.min_duration_s - 1e-9) return;  // not an event yet
  const int from = std::max(s.ev_first, s.column_start);
  const int to = std::min(t, s.column_start + int(s.columns.size()) - 1);
  if (to < from) return;
  const auto column = [&](int f) { return s.columns[std::size_t(f - s.column_start)]; };
  if (s.column_peak_from != s.ev_first) {  // an event new since the last frame: its columns so far
    s.column_peak_from = s.ev_first;
    s.column_peak = 0;
    for (int f = from; f <= to; ++f) s.column_peak = std::max(s.column_peak, column(f));
    s.column_last_on = from;
    for (int f = from; f <= to; ++f)
      if (column(f) >= o_.onset_fraction * s.column_peak) s.column_last_on = f;
  } else {
    s.column_peak = std::max(s.column_peak, column(to));
    if (column(to) >= o_.onset_fraction * s.column_peak) s.column_last_on = to;
  }
  if (!(s.column_peak > 0) || to - s.column_last_on <= quiet_frames_) return;
  s.spent_peak = s.column_peak;
  close(s);
  s.spent = s.seg_start >= 0;
  if (s.spent) s.columns.clear();
}

void StreamingEvents::close(ClassState& s) {
  s.open = false;
  s.column_peak_from = -1;
  if ((s.ev_last + 1 - s.ev_first) * spf_ < o_.min_duration_s - 1e-9) return;
  Candidate c;
  c.pinned = std::find(pinned_.begin(), pinned_.end(), s.index) != pinned_.end();
  c.margin = s.ev_peak / std::max(s.high, 1e-9);
  c.first = s.ev_first, c.last = s.ev_last;
  if (!s.columns.empty() && s.column_start <= s.ev_first &&
      s.ev_last - s.column_start < int(s.columns.size())) {  // narrow_to_columns on the kept columns
    const std::span<const float> kept(s.columns);  // one class: its probabilities' place is only sized
    const ClassFrames view{spf_, 1, kept, kept};
    const auto [a, b] = narrow_to_columns(view, 0, s.ev_first - s.column_start, s.ev_last - s.column_start,
                                          o_.onset_fraction);
    c.first = a + s.column_start, c.last = b + s.column_start;
  }
  c.e.event.index = s.index;
  c.e.event.label = s.index < int(labels_.size()) ? labels_[std::size_t(s.index)] : std::string();
  c.e.event.onset_s = c.first * spf_;
  c.e.event.offset_s = (c.last + 1) * spf_;
  c.e.event.probability = s.ev_peak;
  c.e.event.low_hz = o_.low_hz, c.e.event.high_hz = o_.high_hz;
  c.e.peak_s = std::clamp(s.ev_peak_frame, c.first, c.last) * spf_;  // within the (narrowed) event
  done_.push_back(std::move(c));
}

// Resolves each group of overlapping related ended events once no event of a
// class related to one of its members can still start before the group ends.
void StreamingEvents::settle(const std::vector<int>& earliest, StreamedEventsOut& out) {
  if (done_.empty()) return;
  std::set<std::pair<int, int>> pairs;
  for (auto [a, b] : o_.related) pairs.insert({std::min(a, b), std::max(a, b)});
  const auto linked = [&](const Candidate& a, const Candidate& b) {
    return a.e.event.index != b.e.event.index && a.first <= b.last && b.first <= a.last &&
           pairs.count({std::min(a.e.event.index, b.e.event.index), std::max(a.e.event.index, b.e.event.index)});
  };
  std::vector<int> group(done_.size(), -1);
  int groups = 0;
  for (std::size_t i = 0; i < done_.size(); ++i) {
    if (group[i] >= 0) continue;
    std::vector<std::size_t> todo{i};
    group[i] = groups;
    while (!todo.empty()) {
      const std::size_t a = todo.back();
      todo.pop_back();
      for (std::size_t b = 0; b < done_.size(); ++b)
        if (group[b] < 0 && linked(done_[a], done_[b])) group[b] = groups, todo.push_back(b);
    }
    ++groups;
  }
  std::vector<Candidate> keep;
  for (int g = 0; g < groups; ++g) {
    std::vector<Candidate> members;
    bool settled = true;
    for (std::size_t i = 0; i < done_.size(); ++i)
      if (group[i] == g) {
        members.push_back(done_[i]);
        for (int r : related_to_[std::size_t(done_[i].e.event.index)])
          settled = settled && done_[i].last + 1 <= earliest[std::size_t(r)];
      }
    if (!settled) {
      keep.insert(keep.end(), members.begin(), members.end());
      continue;
    }
    resolve(std::move(members), out);
  }
  done_ = std::move(keep);
  std::stable_sort(out.ended.begin(), out.ended.end(), [](const StreamedEvent& a, const StreamedEvent& b) {
    return a.event.onset_s != b.event.onset_s ? a.event.onset_s < b.event.onset_s : a.event.index < b.event.index;
  });
}

void StreamingEvents::push(std::span<const float> probabilities, std::span<const char> present,
                           StreamedEventsOut& out, std::span<const float> columns) {
  if (finished_) throw Error(ErrorCode::internal, "streaming events: push after finish");
  if (int(probabilities.size()) != classes_ || (!present.empty() && present.size() != probabilities.size()) ||
      (!columns.empty() && columns.size() != probabilities.size()))
    throw Error(ErrorCode::internal, "streaming events: a frame of the wrong size");
  const int t = frame_++;
  const bool as_it_goes = when_ == Settle::as_it_goes;
  if (as_it_goes) earliest_.assign(std::size_t(classes_), t + 1);
  for (int c = 0; c < classes_; ++c) {
    float p = probabilities[std::size_t(c)];
    if (std::isnan(p) || (!present.empty() && !present[std::size_t(c)])) p = 0;
    peak_[std::size_t(c)] = std::max(peak_[std::size_t(c)], p);
    auto& s = state_[std::size_t(c)];
    const float own = columns.empty() ? -1.0f : std::isnan(columns[std::size_t(c)]) ? 0.0f : columns[std::size_t(c)];
    step(s, t, p, own, out);
    if (!columns.empty()) {
      keep_column(s, t, own);  // kept while a segment or an event is open
      end_if_quiet(s, t);
    }
    if (!as_it_goes) continue;
    int& e = earliest_[std::size_t(c)];
    if (s.seg_start >= 0 && !s.spent) e = std::min(e, s.seg_start);  // a spent run starts anew later
    if (s.open) e = std::min(e, s.ev_first);
  }
  if (as_it_goes) settle(earliest_, out);
}

void StreamingEvents::settle_whole(StreamedEventsOut& out) {
  // detect_frame_events' classes_to_place: every rule's and pinned class, then the most probable others.
  std::vector<char> placed(std::size_t(classes_), 0);
  std::vector<std::pair<float, int>> others;
  for (int c = 0; c < classes_; ++c)
    if (state_[std::size_t(c)].other)
      others.push_back({peak_[std::size_t(c)], c});
    else
      placed[std::size_t(c)] = 1;
  std::stable_sort(others.begin(), others.end(), [](auto a, auto b) { return a.first > b.first; });
  for (int i = 0; i < int(others.size()) && i < o_.max_other_classes && others[std::size_t(i)].first >= o_.other_threshold; ++i)
    placed[std::size_t(others[std::size_t(i)].second)] = 1;
  std::vector<Candidate> kept;
  for (auto& c : done_)
    if (placed[std::size_t(c.e.event.index)]) kept.push_back(std::move(c));
  done_.clear();
  resolve(std::move(kept), out);
}

void StreamingEvents::resolve(std::vector<Candidate> members, StreamedEventsOut& out) {
  // detect_frame_events' order: by class, then onset.
  std::stable_sort(members.begin(), members.end(), [](const Candidate& a, const Candidate& b) {
    return a.e.event.index != b.e.event.index ? a.e.event.index < b.e.event.index : a.first < b.first;
  });
  std::vector<ScoredEvent> scored;
  for (const auto& m : members) scored.push_back({m.pinned, m.margin, m.e.event});
  for (auto& e : resolve_related(std::move(scored), o_.related)) {
    StreamedEvent s;
    for (const auto& m : members)
      if (m.e.event.index == e.index && m.e.event.onset_s == e.onset_s) s.peak_s = m.e.peak_s;
    s.event = std::move(e);
    final_.push_back(s.event);
    out.ended.push_back(std::move(s));
  }
}

void StreamingEvents::finish(double duration_s, StreamedEventsOut& out) {
  if (finished_) return;
  finished_ = true;
  for (auto& s : state_)
    if (s.open) close(s);
  const std::size_t before = out.ended.size();
  if (when_ == Settle::at_the_end) {
    settle_whole(out);
  } else {
    earliest_.assign(std::size_t(classes_), frame_ + 1);
    settle(earliest_, out);
  }
  // The last frame may reach past the recording's end (frames are whole columns).
  std::vector<StreamedEvent> kept(out.ended.begin(), out.ended.begin() + std::ptrdiff_t(before));
  for (std::size_t i = before; i < out.ended.size(); ++i) {
    auto& e = out.ended[i];
    if (e.event.onset_s >= duration_s) {
      std::erase_if(final_, [&](const Event& f) { return f.index == e.event.index && f.onset_s == e.event.onset_s; });
      continue;
    }
    e.event.offset_s = std::min(e.event.offset_s, duration_s);
    for (auto& f : final_)
      if (f.index == e.event.index && f.onset_s == e.event.onset_s) f.offset_s = e.event.offset_s;
    kept.push_back(std::move(e));
  }
  out.ended = std::move(kept);
}

std::vector<EventCount> StreamingEvents::counts(double duration_s) const {
  return count_events(final_, pinned_, labels_, duration_s);
}

}  // namespace soundlens
