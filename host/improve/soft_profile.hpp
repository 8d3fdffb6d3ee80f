// The profile both annealers score (host/improve/memory_anneal.cpp: live memory per step or residue;
// host/improve/stage_anneal.cpp: stage weight per step): its exact peak, kept from each move's changed
// cells, and its soft maximum tt * log sum_d exp((v(d) - ref) / tt) as a running sum S that
// the changed cells update. Internal to the host library.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace gaus::detail {

class SoftPeakProfile {
 public:
  /// `skip_far` (for long profiles): cells more than 40 temperatures below the reference count
  /// as 0 and cost no exp() (their terms are below e^-40 of the peak's), and the sum is rescored
  /// when the peak drifts 16 temperatures from the reference.
  SoftPeakProfile(std::vector<double> values, double tt, bool skip_far)
      : v_(std::move(values)), tt_(tt), skip_far_(skip_far) {
    rescore();
  }

  [[nodiscard]] const std::vector<double>& values() const { return v_; }
  [[nodiscard]] double operator[](std::size_t c) const { return v_[c]; }
  [[nodiscard]] std::size_t size() const { return v_.size(); }
  [[nodiscard]] double peak() const { return peak_; }
  /// S = sum_d exp((v(d) - ref) / tt), ref the peak at the last rescore: about the number of
  /// cells at the peak (the running sum before the current move).
  [[nodiscard]] double width() const { return sum_before_ > 0 ? sum_before_ : sum_; }

  /// Starts a move: add() records its cells until accept() or undo().
  void begin() {
    changes_.clear();
    rescored_ = false;
    sum_before_ = sum_;
  }
  void add(std::size_t c, double w) {
    changes_.push_back({c, v_[c], v_[c] + w});
    v_[c] += w;
  }
  /// The soft maximum's change for the cells added since begin().
  double delta() {
    double d = 0;
    for (const Change& c : changes_) d += term(c.after) - term(c.before);
    const double s_after = sum_ + d;
    if (!(s_after > 0)) {  // cancellation: score the profile afresh
      const double old = tt_ * std::log(sum_) + ref_;
      rescore();
      rescored_ = true;
      sum_before_ = std::exp((old - ref_) / tt_);
      return tt_ * std::log(sum_) + ref_ - old;
    }
    const double s_before = sum_;
    sum_ = s_after;
    return tt_ * (std::log(s_after) - std::log(s_before));
  }
  /// Takes the move's cells back.
  void undo() {
    for (auto it = changes_.rbegin(); it != changes_.rend(); ++it) v_[it->cell] = it->before;
    sum_ = sum_before_;
    if (rescored_) rescore();  // the peak was scanned with the move in place
  }
  /// Keeps the move: updates the exact peak from its cells.
  void accept() {
    for (const Change& c : changes_) {
      if (rescored_) break;  // scanned with the move in place already
      if (c.before == peak_) --at_peak_;
      if (c.after > peak_) {
        peak_ = c.after;
        at_peak_ = 1;
      } else if (c.after == peak_) {
        ++at_peak_;
      }
    }
    if (at_peak_ <= 0) scan_peak();
    // Bounds the drift of the running sum; and a peak far from the reference would leave every
    // term vanishing (or overflowing).
    if (++accepted_ % 4096 == 0 || (skip_far_ && std::abs(peak_ - ref_) > 16 * tt_)) rescore();
  }

 private:
  struct Change {
    std::size_t cell;
    double before, after;
  };
  [[nodiscard]] double term(double v) const {
    return skip_far_ && v < cut_ ? 0.0 : std::exp(std::min((v - ref_) / tt_, 700.0));
  }
  void scan_peak() {
    peak_ = -HUGE_VAL;
    at_peak_ = 0;
    for (const double v : v_) {
      if (v > peak_) {
        peak_ = v;
        at_peak_ = 1;
      } else if (v == peak_) {
        ++at_peak_;
      }
    }
  }
  void rescore() {
    scan_peak();
    ref_ = peak_;
    cut_ = ref_ - 40 * tt_;
    sum_ = 0;
    for (const double v : v_) sum_ += term(v);
  }

  std::vector<double> v_;
  double tt_;
  bool skip_far_;
  std::vector<Change> changes_;
  double ref_ = 0, cut_ = 0, sum_ = 0, sum_before_ = 0, peak_ = 0;
  std::int64_t at_peak_ = 0, accepted_ = 0;
  bool rescored_ = false;  ///< the current move rescored the profile
};

}  // namespace gaus::detail
