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
//
// On the large EPFL graphs (10^4 to 2 x 10^5 ops, a few hundred to 25,000 steps, a second per
// run) three things make the moves count. Many ops sit between a producer and a consumer one
// step away and cannot move alone (on hyp three quarters of the single moves proposed), so a
// step out of an op's frame
// near the peak pushes the ops in its way along (PushPlan, up to 8 ops, scored as one move).
// The ops near the peak are found through buckets of ops by start cell (pick_near) where
// random tries rarely hit one. And a run with fewer moves per op than it needs to anneal from
// t_start starts cooler (AnnealOptions::equilibrium, 300 here). Cells far below the peak cost
// no exp() (host/improve/soft_profile.hpp).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/timing.hpp"
#include "host/improve/anneal_common.hpp"
#include "host/improve/memory_anneal.hpp"
#include "host/verify/objectives.hpp"
#include "host/improve/soft_profile.hpp"

namespace gaus::detail {

namespace {

/// The annealing state: starts, last uses, the memory profile and its soft-maximum sum.
class Annealer {
 public:
  Annealer(const Problem& p, std::int32_t horizon, std::int32_t ii, std::vector<std::int32_t> s,
           double tt, UnitTable& units)
      : p_(p), horizon_(horizon), ii_(ii), s_(std::move(s)),
        last_(static_cast<std::size_t>(p.num_ops())),
        arcs_(p, ii), m_(initial_profile(horizon, ii), tt, true), units_(units),
        plan_(p.num_ops()) {
    at_.resize(m_.size());
    pos_.resize(static_cast<std::size_t>(p.num_ops()));
    for (op_id i = 0; i < p.num_ops(); ++i) {
      std::vector<op_id>& b = at_[static_cast<std::size_t>(cell(s_[i]))];
      pos_[i] = static_cast<std::int32_t>(b.size());
      b.push_back(i);
    }
    refresh_ = std::max<std::int64_t>(64, static_cast<std::int64_t>(m_.size()) / 8);
    drawn_ = refresh_;  // list the hot cells at the first draw
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
  [[nodiscard]] double peak() const { return m_.peak(); }
  /// An op that near(i, level) holds for, drawn from the ops starting at or just after a random
  /// cell at `level` or above; -1 when a few draws find none. On a large graph few ops touch
  /// the peak (EPFL hyp: 1,100 of 214,591), so random tries would rarely hit one. The cells at
  /// the level are listed afresh every `refresh_` draws, sooner when the peak has fallen (the
  /// list then lacks cells), and each drawn cell is checked against the current profile.
  op_id pick_near(Rng& rng, double level) {
    if (++drawn_ >= refresh_ || (level < hot_level_ && drawn_ >= refresh_ / 8)) list_hot(level);
    for (int k = 0; k < 4 && !hot_.empty(); ++k) {
      const auto nh = static_cast<std::int64_t>(hot_.size());
      const std::int32_t c = hot_[static_cast<std::size_t>(rng.below(nh))];
      if (m_[static_cast<std::size_t>(c)] < level) continue;
      // Ops starting at c, and at the step after (whose inputs' last uses end at c).
      const std::int32_t cells = static_cast<std::int32_t>(m_.size());
      const std::int32_t next = c + 1 < cells ? c + 1 : (ii_ > 0 ? 0 : -1);
      const std::vector<op_id>& a = at_[static_cast<std::size_t>(c)];
      const std::size_t nb = next >= 0 ? at_[static_cast<std::size_t>(next)].size() : 0;
      const std::size_t total = a.size() + nb;
      if (total == 0) continue;
      const auto r = static_cast<std::size_t>(rng.below(static_cast<std::int64_t>(total)));
      return r < a.size() ? a[r] : at_[static_cast<std::size_t>(next)][r - a.size()];
    }
    return -1;
  }
  /// The frame [lo, hi] op i may move in with the others fixed.
  void frame(op_id i, std::int32_t& lo, std::int32_t& hi) const {
    move_frame(p_, arcs_, horizon_, s_, i, lo, hi);
  }
  /// The move's rise of the soft maximum times S = sum_d exp((M(d) - peak) / tt), the number
  /// of steps near the peak: the soft maximum's change is about tt * (change of the profile's
  /// sum at the peak) / S, so on a long horizon with many such steps every move looks tiny.
  /// Scaled by S, T means the same everywhere.
  double cost(op_id i, std::int32_t t) {
    const double d = move(i, t);
    return d * m_.width();
  }
  /// The exact peak, which the best schedule is tracked by.
  [[nodiscard]] double score() const { return m_.peak(); }

  /// Moves op i to t and returns the change of the soft maximum; undo() takes it back.
  double move(op_id i, std::int32_t t) {
    begin();
    shift(i, t);
    return m_.delta();
  }

  /// Pushes op i to t (PushPlan: the consumers or producers it would overrun move along) and
  /// returns the rise as cost() does; infinity, with nothing moved, when the push is given up
  /// or a unit limit would be exceeded. undo() takes it back, units included.
  double push(op_id i, std::int32_t t) {
    if (!plan_.plan(p_, arcs_, horizon_, s_, i, t, kPushLimit)) return HUGE_VAL;
    const auto& ms = plan_.moved();
    bool fits = true;
    for (const auto& [x, v] : ms) units_.add(x, s_[x], -1);
    for (const auto& [x, v] : ms) units_.add(x, v, 1);
    for (const auto& [x, v] : ms) fits = fits && units_.within(x, v);
    if (!fits) {
      for (const auto& [x, v] : ms) units_.add(x, v, -1);
      for (const auto& [x, v] : ms) units_.add(x, s_[x], 1);
      return HUGE_VAL;
    }
    begin();
    pushed_ = true;
    for (const auto& [x, v] : ms) shift(x, v);
    return m_.delta() * m_.width();
  }

  void undo() {
    m_.undo();
    for (auto it = lasts_.rbegin(); it != lasts_.rend(); ++it) last_[it->first] = it->second;
    for (auto it = moved_.rbegin(); it != moved_.rend(); ++it) {
      if (pushed_) {
        units_.add(it->first, s_[it->first], -1);
        units_.add(it->first, it->second, 1);
      }
      s_[it->first] = it->second;
    }
  }

  /// Keeps the move: updates the exact peak from its changes.
  void accept() {
    for (const auto& [op, was] : moved_) rebucket(op, was);
    m_.accept();
  }

 private:
  /// Ops one push may move: longer pushes cost more than they gain in a fixed time (EPFL square
  /// after 1 s: 527 without pushes, 490 up to 4 ops, 480 up to 8, 492 up to 32).
  static constexpr std::size_t kPushLimit = 8;

  void begin() {
    m_.begin();
    lasts_.clear();
    moved_.clear();
    pushed_ = false;
  }
  /// Live memory per step (folded onto residues at an II) of the starts, by a difference array
  /// (recording each cell through add_range would cost the sum of all lifetimes in time and
  /// memory: 5e8 changes on a 100,000-op graph over 25,000 steps). Sets the last uses.
  std::vector<double> initial_profile(std::int32_t horizon, std::int32_t ii) {
    std::vector<double> diff(static_cast<std::size_t>(horizon) + 1, 0.0);
    for (op_id i = 0; i < p_.num_ops(); ++i) {
      last_[i] = last_use(i);
      const std::int32_t a = std::max(s_[i], 0), b = std::min(last_[i], horizon);
      if (!(p_.out_size[i] != 0) || a >= b) continue;
      diff[static_cast<std::size_t>(a)] += p_.out_size[i];
      diff[static_cast<std::size_t>(b)] -= p_.out_size[i];
    }
    std::vector<double> m(static_cast<std::size_t>(ii > 0 ? ii : horizon), 0.0);
    double run = 0;
    for (std::int32_t d = 0; d < horizon; ++d)
      m[static_cast<std::size_t>(ii > 0 ? d % ii : d)] += (run += diff[static_cast<std::size_t>(d)]);
    return m;
  }
  /// Moves op i to t within the current move, updating the profile and last uses. Exact in
  /// any order of the ops of a push, legal or not in between: each interval's change is
  /// computed from the starts and last uses as they are.
  void shift(op_id i, std::int32_t t) {
    const std::int32_t from = s_[i];
    moved_.push_back({i, from});
    // Own interval [s_i, last_i) -> [t, last_i): the steps between the two starts, below last_i.
    const std::int32_t lo = std::min(from, t), hi = std::min(std::max(from, t), last_[i]);
    if (p_.out_size[i] > 0 && lo < hi)
      add_range(lo, hi, t < from ? p_.out_size[i] : -p_.out_size[i]);
    s_[i] = t;
    // Inputs whose last use moves with i: [s_p, last) -> [s_p, last').
    for (const AnnealArcs::Arc& in : arcs_.inputs(i)) {
      const op_id src = in.other;
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
  }
  /// The start of op i's last distance-0 consumer; at most s_i when it has none.
  [[nodiscard]] std::int32_t last_use(op_id i) const {
    std::int32_t l = std::numeric_limits<std::int32_t>::min();
    for (const AnnealArcs::Arc& c : arcs_.consumers(i)) l = std::max(l, s_[c.other]);
    return l;
  }
  void add_range(std::int32_t a, std::int32_t b, double w) {
    if (!(w != 0)) return;
    for (std::int32_t d = std::max(a, 0); d < b; ++d) {
      const std::int32_t c = ii_ > 0 ? d % ii_ : d;
      if (ii_ == 0 && c >= horizon_) break;
      m_.add(static_cast<std::size_t>(c), w);
    }
  }
  [[nodiscard]] std::int32_t cell(std::int32_t d) const { return ii_ > 0 ? d % ii_ : d; }
  /// Moves op i, which started at `was`, to the bucket of its start now.
  void rebucket(op_id i, std::int32_t was) {
    const std::int32_t from = cell(was), to = cell(s_[i]);
    if (from == to) return;
    std::vector<op_id>& a = at_[static_cast<std::size_t>(from)];
    const op_id tail = a.back();
    a[static_cast<std::size_t>(pos_[i])] = tail;
    pos_[tail] = pos_[i];
    a.pop_back();
    std::vector<op_id>& b = at_[static_cast<std::size_t>(to)];
    pos_[i] = static_cast<std::int32_t>(b.size());
    b.push_back(i);
  }
  void list_hot(double level) {
    hot_.clear();
    for (std::size_t c = 0; c < m_.size(); ++c)
      if (m_[c] >= level) hot_.push_back(static_cast<std::int32_t>(c));
    hot_level_ = level;
    drawn_ = 0;
  }

  const Problem& p_;
  std::int32_t horizon_, ii_;
  std::vector<std::int32_t> s_;
  std::vector<std::int32_t> last_;
  AnnealArcs arcs_;  ///< the edges, packed per op
  SoftPeakProfile m_;  ///< memory per step (or residue), its peak and soft maximum
  std::vector<std::pair<op_id, std::int32_t>> lasts_;
  std::vector<std::pair<op_id, std::int32_t>> moved_;  ///< the current move's ops and starts before
  UnitTable& units_;
  PushPlan plan_;
  bool pushed_ = false;  ///< the current move is a push (which updated the unit table itself)
  std::vector<std::vector<op_id>> at_;  ///< the ops by the cell of their start
  std::vector<std::int32_t> pos_;      ///< each op's index in its bucket
  std::vector<std::int32_t> hot_;      ///< cells at hot_level_ or above when last listed
  double hot_level_ = HUGE_VAL;
  std::int64_t drawn_ = 0, refresh_ = 64;
};

/// Moves per op a run needs from t_start (AnnealOptions::equilibrium where that is 0): the
/// small EPFL graphs, annealed with 300 and more per op, do best from t_start = 2 (sin, i2c).
constexpr double kEquilibrium = 300;

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
  UnitTable units(p, cells, ii, start);
  Annealer a(p, horizon, ii, start, o.softmax * unit, units);
  std::vector<std::int32_t> best = start;
  AnnealOptions run = o;
  if (run.equilibrium == 0) run.equilibrium = kEquilibrium;
  const std::int64_t m = anneal_loop(n, a, units, run, unit, unit, stop, best, r.accepted);
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
