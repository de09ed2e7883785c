#pragma once
// detect_frame_events (frame_events.h) run incrementally: frames are pushed
// one at a time, once settled (no later window changes them), and events come
// out as soon as they are known, with no frame held after it is used.
//
// It gives the same events as detect_frame_events over all the frames when
//  - the same frames and presence are pushed (the live engine pushes each
//    frame once every window that covers it has been stitched), and
//  - at most max_other_classes classes without a calibrated rule reach
//    other_threshold (offline keeps the most probable of them; a stream cannot
//    know which those will be, so it places every one: other_classes_heard()).
// Each class's hysteresis, gap bridging and minimum duration are the same
// rules run forwards: a run of frames >= low is on when one of them reaches
// the threshold; an event ends once merge_gap_s has passed with no on-run
// able to join it. Related classes are resolved per group of overlapping
// related events, once no later event can join the group: offline resolves
// them over the whole recording in one order, and two events of different
// groups never affect each other there, so the group-wise result is the same.
#include <span>
#include <string>
#include <vector>

#include "events/event.h"
#include "events/frame_events.h"

namespace soundlens {

struct StreamedEvent {
  Event event;
  double peak_s = 0;  // the start of the frame with the peak probability (the event's nearest frame to it)
};

struct StreamedEventsOut {
  // A class's run became an event (at least min_duration_s long). It may still
  // end as an alternative of a related class's event, which then names it.
  std::vector<StreamedEvent> started;
  // Final events, related classes resolved; offline's events (by onset within one push).
  std::vector<StreamedEvent> ended;
};

class StreamingEvents {
 public:
  // When events are given out. as_it_goes (live): each as soon as it is
  // known, every other class that reaches its threshold placed (see above).
  // at_the_end (a recording read once, frames never held whole): nothing
  // before finish(), which resolves and caps the other classes over the whole
  // recording as detect_frame_events does, so the events are exactly its.
  enum class Settle { as_it_goes, at_the_end };
  // options.present is ignored (presence comes with each frame); labels as for detect_frame_events.
  // Throws as detect_frame_events does for options out of range.
  StreamingEvents(const FrameEventOptions& options, double seconds_per_frame, int classes, std::vector<int> pinned,
                  std::vector<std::string> labels, Settle settle = Settle::as_it_goes);
  // The next frame: `classes` probabilities (NaN: no output) and, when not
  // empty, whether the windows hear each class there (0: the frame counts as 0),
  // and each column's own evidence where the probabilities pool columns
  // (ClassFrames::columns; empty: none): an event is narrowed to its columns
  // when it ends (options.onset_fraction), as detect_frame_events narrows it.
  void push(std::span<const float> probabilities, std::span<const char> present, StreamedEventsOut& out,
            std::span<const float> columns = {});
  // The end of the stream: open events end with the frames; events past
  // duration_s dropped, offsets clipped to it (as events_from_frames does).
  void finish(double duration_s, StreamedEventsOut& out);
  int frames() const { return frame_; }
  // Pins a class from the next frame on (a class watched during a live session): counted even at 0,
  // preferred when related classes are resolved, no longer among the "other" classes.
  void pin(int index);
  int other_classes_heard() const { return others_heard_; }
  // A stream's early ends (the live default): an event is ended once its class's column evidence has
  // stayed under onset_fraction x its highest in the event for longer than the merge gap, though the
  // pooled evidence (a window's judgement, up for about half a window after the sound) still holds
  // it. The rest of that pooled run makes no event unless its columns come back up to that level,
  // which starts a new one there. Needs onset_fraction > 0 and columns; the events then differ from
  // detect_frame_events' (ends and counts: measured in docs/live.md).
  void end_on_quiet_columns();
  // Every final event so far counted per class (pinned ones even at 0), per hour of duration_s.
  std::vector<EventCount> counts(double duration_s) const;

 private:
  // One class's run of frames >= low (the segment) and the event its on-runs make.
  struct ClassState {
    int index = 0;
    double high = 0.5, low = 0.35;
    bool other = false;  // no rule and not pinned: offline would place it only among the most probable
    bool heard = false;  // some frame reached `high`
    int seg_start = -1;  // -1: no segment
    bool seg_high = false;
    float seg_peak = 0;
    int seg_peak_frame = 0;
    bool open = false;  // an event: frames ev_first..ev_last, on-runs at most gap frames apart
    int ev_first = 0, ev_last = 0;
    float ev_peak = 0;
    int ev_peak_frame = 0;
    bool started = false;  // its start line was given
    // The class's column evidence from frame column_start on, while a segment or an event is open.
    int column_start = 0;
    std::vector<float> columns;
    // end_on_quiet_columns(): the open event's highest column and the last column at
    // onset_fraction of it (from frame column_peak_from on); spent: ended early, its pooled run
    // still up, at spent_peak.
    int column_peak_from = -1;
    float column_peak = 0;
    int column_last_on = 0;
    bool spent = false;
    float spent_peak = 0;
  };
  struct Candidate {
    bool pinned = false;
    double margin = 0;
    int first = 0, last = 0;  // frames
    StreamedEvent e;
  };
  void step(ClassState& s, int t, float p, float column, StreamedEventsOut& out);
  void keep_column(ClassState& s, int t, float column) const;
  // end_on_quiet_columns(): ends s's event if its columns have been quiet long enough.
  void end_if_quiet(ClassState& s, int t);
  void close(ClassState& s);
  // Resolves the groups no later event can join: `earliest[c]` is the first frame an event of
  // class c not yet ended could start at.
  void settle(const std::vector<int>& earliest, StreamedEventsOut& out);
  // at_the_end: detect_frame_events' classes_to_place cap, then its resolution, over every ended run.
  void settle_whole(StreamedEventsOut& out);
  // One group of ended runs (or all of them) resolved as detect_frame_events resolves them, given out.
  void resolve(std::vector<Candidate> members, StreamedEventsOut& out);

  FrameEventOptions o_;
  double spf_;
  int classes_;
  int gap_frames_;
  int quiet_frames_ = 0;  // end_on_quiet_columns(): more than this many quiet columns end an event
  std::vector<int> pinned_;
  std::vector<std::string> labels_;
  std::vector<ClassState> state_;
  std::vector<std::vector<int>> related_to_;  // per class
  std::vector<Candidate> done_;  // ended runs waiting for their related group to settle
  std::vector<Event> final_;     // for the counts
  std::vector<int> earliest_;    // per class, this frame
  Settle when_;
  std::vector<float> peak_;  // per class, the highest frame so far (at_the_end: the others' cap)
  int frame_ = 0;
  int others_heard_ = 0;
  bool finished_ = false;
};

}  // namespace soundlens
