// Formulations B and C: simulated annealing of a legal schedule's peak (modulo) live memory by
// single-op moves, the discrete polish after the Gaussian descent.
//
// The descent and its legalization leave schedules where no single op can move without raising
// some step's memory, yet many ops moving together could lower the peak (EPFL ctrl: the descent's
// best 38, the optimum 31, reached by shifting a third of the ops a step or two). Annealing
// crosses such ridges: a move puts one op at another step inside its frame (its dependency bound,
// its consumers, the horizon, a free unit), is scored by a soft maximum of the memory profile
// (tt * log sum_d exp(M(d) / tt), which sees every step near the peak, not only the highest),
// and is taken when it lowers that score or, with probability exp(-increase * S / T), when it
// does not, S being the number of steps near the peak (below); T falls geometrically. Every move keeps every rule the verifier checks (edges at the II,
// horizon, unit limits per step or residue), so each state is a legal schedule.
//
// A move of op i changes only its own interval [s_i, last_i) and its inputs' last uses, so its
// cost is the number of steps those intervals gain or lose (plus i's degree), not the horizon.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/timing.hpp"
#include "host/anneal_common.hpp"
#include "host/memory_anneal.hpp"
#include "host/objectives.hpp"

namespace gaus::detail {

namespace {

/// One cell's value before and after a change of the profile.
struct Change {
  std::int32_t cell;
  double before, after;
};

/// The annealing state: starts, last uses, the memory profile and its soft-maximum sum.
class Annealer {
 public:
  Annealer(const Problem& p, std::int32_t horizon, std::int32_t ii, std::vector<std::int32_t> s,
           double tt)
      : p_(p), horizon_(horizon), ii_(ii), s_(std::move(s)), tt_(tt),
        last_(static_cast<std::size_t>(p.num_ops())),
        m_(static_cast<std::size_t>(ii > 0 ? ii : horizon), 0.0) {
    // The profile by a difference array (recording each cell through add_range would cost the
    // sum of all lifetimes in time and memory: 5e8 changes on a 100,000-op graph over 25,000
    // steps), then folded onto residues at an II.
    std::vector<double> diff(static_cast<std::size_t>(horizon) + 1, 0.0);
    for (op_id i = 0; i < p.num_ops(); ++i) {
      last_[i] = last_use(i);
      const std::int32_t a = std::max(s_[i], 0), b = std::min(last_[i], horizon);
      if (!(p.out_size[i] != 0) || a >= b) continue;
      diff[static_cast<std::size_t>(a)] += p.out_size[i];
      diff[static_cast<std::size_t>(b)] -= p.out_size[i];
    }
    double run = 0;
    for (std::int32_t d = 0; d < horizon; ++d)
      m_[static_cast<std::size_t>(ii > 0 ? d % ii : d)] += (run += diff[static_cast<std::size_t>(d)]);
    rescore();
  }

  [[nodiscard]] const std::vector<std::int32_t>& starts() const { return s_; }
  /// Whether moving op i touches a step whose memory is at least `level`: its start step or
  /// the one before (where its own interval begins and its inputs' last uses end).
  [[nodiscard]] bool near(op_id i, double level) const {
    const std::int32_t d = s_[i];
    auto at = [&](std::int32_t x) {
      if (x < 0 || (ii_ == 0 && x >= horizon_)) return false;
      return m_[static_cast<std::size_t>(ii_ > 0 ? x % ii_ : x)] >= level;
    };
    return at(d) || at(d - 1);
  }
  [[nodiscard]] double peak() const { return peak_; }
  /// S = sum_d exp((M(d) - ref) / tt), ref the peak at the last rescore: about the number of
  /// steps at the peak (the running sum before the current move).
  [[nodiscard]] double width() const { return sum_before_ > 0 ? sum_before_ : sum_; }

  /// The frame [lo, hi] op i may move in with the others fixed.
  void frame(op_id i, std::int32_t& lo, std::int32_t& hi) const {
    move_frame(p_, horizon_, ii_, s_, i, lo, hi);
  }
  /// The move's rise of the soft maximum times S = sum_d exp((M(d) - peak) / tt), the number
  /// of steps near the peak: the soft maximum's change is about tt * (change of the profile's
  /// sum at the peak) / S, so on a long horizon with many such steps every move looks tiny.
  /// Scaled by S, T means the same everywhere.
  double cost(op_id i, std::int32_t t) {
    const double d = move(i, t);
    return d * width();
  }
  /// The exact peak, which the best schedule is tracked by.
  [[nodiscard]] double score() const { return peak_; }

  /// Moves op i to t and returns the change of the soft maximum; undo() takes it back.
  double move(op_id i, std::int32_t t) {
    changes_.clear();
    lasts_.clear();
    rescored_ = false;
    moved_ = i;
    from_ = s_[i];
    const double s_before = sum_;
    // Own interval [s_i, last_i) -> [t, last_i): the steps between the two starts, below last_i.
    const std::int32_t lo = std::min(from_, t), hi = std::min(std::max(from_, t), last_[i]);
    if (p_.out_size[i] > 0 && lo < hi) add_range(lo, hi, t < from_ ? p_.out_size[i] : -p_.out_size[i]);
    s_[i] = t;
    // Inputs whose last use moves with i: [s_p, last) -> [s_p, last').
    for (edge_id q = p_.pred_offsets[i]; q < p_.pred_offsets[i + 1]; ++q) {
      const edge_id e = p_.pred_edges[q];
      if (p_.edge_distance[e] != 0) continue;
      const op_id src = p_.edge_src[e];
      const std::int32_t now = last_use(src);
      const std::int32_t was = last_[src];
      if (now == was) continue;
      lasts_.push_back({src, was});
      last_[src] = now;
      if (!(p_.out_size[src] > 0)) continue;
      const std::int32_t a = std::max(std::min(was, now), s_[src]);
      const std::int32_t b = std::max(was, now);
      if (a < b) add_range(a, b, now > was ? p_.out_size[src] : -p_.out_size[src]);
    }
    return soft_delta(s_before);
  }

  void undo() {
    for (auto it = changes_.rbegin(); it != changes_.rend(); ++it) m_[it->cell] = it->before;
    for (const auto& [op, was] : lasts_) last_[op] = was;
    s_[moved_] = from_;
    sum_ = sum_before_;
    if (rescored_) rescore();  // the peak was scanned with the move in place
  }

  /// Keeps the move: updates the exact peak from its changes.
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
    if (++accepted_ % 4096 == 0) rescore();  // bounds the drift of the running sum
  }

 private:
  /// The start of op i's last distance-0 consumer; at most s_i when it has none.
  [[nodiscard]] std::int32_t last_use(op_id i) const {
    std::int32_t l = std::numeric_limits<std::int32_t>::min();
    for (edge_id e = p_.succ_offsets[i]; e < p_.succ_offsets[i + 1]; ++e)
      if (p_.edge_distance[e] == 0) l = std::max(l, s_[p_.edge_dst[e]]);
    return l;
  }
  void add_range(std::int32_t a, std::int32_t b, double w) {
    if (!(w != 0)) return;
    for (std::int32_t d = std::max(a, 0); d < b; ++d) {
      const std::int32_t c = ii_ > 0 ? d % ii_ : d;
      if (ii_ == 0 && c >= horizon_) break;
      changes_.push_back({c, m_[c], m_[c] + w});
      m_[c] += w;
    }
  }
  [[nodiscard]] double term(double v) const { return std::exp(std::min((v - ref_) / tt_, 700.0)); }
  /// The soft maximum's change for the changes recorded since the move began.
  double soft_delta(double s_before) {
    sum_before_ = s_before;
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
    sum_ = s_after;
    return tt_ * (std::log(s_after) - std::log(s_before));
  }
  void scan_peak() {
    peak_ = -HUGE_VAL;
    at_peak_ = 0;
    for (const double v : m_) {
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
    sum_ = 0;
    for (const double v : m_) sum_ += term(v);
  }

  const Problem& p_;
  std::int32_t horizon_, ii_;
  std::vector<std::int32_t> s_;
  double tt_;
  std::vector<std::int32_t> last_;
  std::vector<double> m_;
  std::vector<Change> changes_;
  std::vector<std::pair<op_id, std::int32_t>> lasts_;
  op_id moved_ = 0;
  std::int32_t from_ = 0;
  double ref_ = 0, sum_ = 0, sum_before_ = 0;
  double peak_ = 0;
  std::int64_t at_peak_ = 0, accepted_ = 0;
  bool rescored_ = false;  ///< the current move rescored the profile
};

}  // namespace

AnnealResult anneal_memory(const Problem& p, std::int32_t horizon, std::int32_t ii,
                           std::vector<std::int32_t>& start, const AnnealOptions& o,
                           const std::function<bool()>& stop) {
  AnnealResult r;
  const op_id n = p.num_ops();
  if (n == 0 || horizon <= 0 || static_cast<op_id>(start.size()) != n || o.moves <= 0) return r;
  Schedule s;
  s.horizon = horizon;
  s.ii = ii;
  s.start = start;
  auto exact = [&](const std::vector<std::int32_t>& st) {
    s.start = st;
    return ii > 0 ? peak_memory_modulo(p, s, ii) : peak_memory(p, s);
  };
  r.before = exact(start);
  r.after = r.before;
  // The unit table's cells: residues at an II, else steps up to the longest hold past D.
  std::int32_t cells = ii > 0 ? ii : horizon;
  double stored = 0;
  std::int64_t storing = 0;
  for (op_id i = 0; i < n; ++i) {
    if (start[i] < 0 || start[i] + occupancy(p, i) > horizon) return r;  // not within D
    // Any step a move may give i (up to D - max(L_i, 1)), plus its hold.
    if (ii == 0) cells = std::max(cells, horizon - occupancy(p, i) + p.blocking[i]);
    if (p.out_size[i] > 0) {
      stored += p.out_size[i];
      ++storing;
    }
  }
  if (storing == 0) return r;
  // Temperatures in units of the mean stored value.
  const double unit = stored / static_cast<double>(storing);
  Annealer a(p, horizon, ii, start, o.softmax * unit);
  UnitTable units(p, cells, ii, start);
  std::vector<std::int32_t> best = start;
  const std::int64_t m = anneal_loop(n, a, units, o, unit, unit, stop, best, r.accepted);
  r.moves = m;
  const double after = exact(best);
  if (after < r.before) {
    start = std::move(best);
    r.after = after;
    r.improved = true;
  }
  return r;
}

}  // namespace gaus::detail
