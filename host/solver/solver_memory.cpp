// Formulation B's post-pass on a legalized schedule. List scheduling in mu order places each op
// at the earliest step its release and units allow, so a value whose consumers sit far below it
// (a primary input with latency 0 feeding a deep gate) is live from its early start; the
// relaxation pushes such mu late only slowly, since one op's memory gradient is tiny next to
// the soft maximum over thousands of values.
//
// Two moves keep every step's memory M(d) = sum_i b_i [s_i <= d < last_i] from rising:
//   delay   an op i that stores a value (b_i > 0, distance-0 consumers) moves later, up to
//           min over its consumers of s_j - lambda_e, the horizon, and the last use of each of
//           its inputs (past it, i would become that input's new last consumer and lengthen it).
//           Its own interval shrinks from the left; no other interval changes.
//   advance an op that stores nothing (b_i = 0 or no distance-0 consumers) moves earlier, down
//           to its dependency bound: only its inputs' intervals can shrink.
// A second candidate drops the input bound of the delay (an ALAP compaction behind the advanced
// sinks: every value produced just before its first consumer); it can lengthen inputs' lives,
// so both candidates are scored exactly and the better one is kept only when it beats the
// original. All moves keep every distance-0 edge, the horizon and (through a reservation table)
// every unit limit; the caller verifies the result anyway. Cost O(n + m + span) per call, plus
// at most kMaxProbes probes per op of a limited class.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/timing.hpp"
#include "host/verify/objectives.hpp"
#include "host/solver/solver_detail.hpp"

namespace gaus::detail {

namespace {

/// Unit use per (limited class, step); ops of unlimited classes are not tracked.
class Reservations {
 public:
  /// `width`: steps per class, D plus the longest hold of a limited op past it (B_i > L_i).
  Reservations(const Problem& p, std::int32_t width, const std::vector<std::int32_t>& start)
      : p_(p), width_(width), slot_(p.resources.size(), -1) {
    std::int32_t limited = 0;
    for (std::size_t k = 0; k < p.resources.size(); ++k)
      if (p.resources[k].limit >= 0) slot_[k] = limited++;
    use_.assign(static_cast<std::size_t>(limited) * static_cast<std::size_t>(width_), 0);
    for (op_id i = 0; i < p.num_ops(); ++i) add(i, start[i], 1);
  }
  /// Whether op i (currently placed elsewhere, already removed) fits at step t.
  [[nodiscard]] bool fits(op_id i, std::int32_t t) const {
    if (!tracked(i)) return true;
    const std::int32_t* row = use_.data() + offset(i);
    const std::int32_t limit = p_.resources[p_.op_resource[i]].limit;
    const std::int32_t end = t + p_.blocking[i];
    for (std::int32_t d = t; d < end; ++d)
      if (row[d] >= limit) return false;
    return true;
  }
  void add(op_id i, std::int32_t t, std::int32_t delta) {
    if (!tracked(i)) return;
    std::int32_t* row = use_.data() + offset(i);
    const std::int32_t end = t + p_.blocking[i];
    for (std::int32_t d = std::max(t, 0); d < end; ++d) row[d] += delta;
  }
  /// Ops of limited classes that hold a unit; only they scan for a free step.
  [[nodiscard]] bool tracked(op_id i) const {
    const std::int32_t k = p_.op_resource[i];
    return k >= 0 && p_.blocking[i] > 0 && slot_[k] >= 0;
  }

 private:
  /// Start of op i's class row (tracked ops only).
  [[nodiscard]] std::size_t offset(op_id i) const {
    return static_cast<std::size_t>(slot_[p_.op_resource[i]]) * static_cast<std::size_t>(width_);
  }
  const Problem& p_;
  std::int32_t width_;
  std::vector<std::int32_t> slot_;
  std::vector<std::int32_t> use_;
};

/// A limited op probes at most this many steps per move, so the pass stays linear-ish.
constexpr std::int32_t kMaxProbes = 64;

/// What every pass of one improve_memory call reads: which ops store a value, and the
/// topological order to walk. When no op holds a limited unit each move depends only on the
/// op's neighbours, which every topological order has final, so any such order gives the same
/// result; the op indices are then used when they are one (as in AIGER files), which walks
/// the arrays in memory order instead of jumping around.
struct Walk {
  const Problem& p;
  std::vector<char> stores;        ///< b_i > 0 and a distance-0 consumer
  bool by_index = false;           ///< walk 0..n-1 instead of p.topo_order
  std::vector<std::int32_t> inlim; ///< scratch of delay_values: min last use of the inputs

  Walk(const Problem& p, bool any_tracked) : p(p), stores(static_cast<std::size_t>(p.num_ops())) {
    const op_id n = p.num_ops();
    bool ascending = true;  // every distance-0 edge goes to a larger index
    for (op_id i = 0; i < n; ++i) {
      bool consumer = false;
      for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
        if (p.edge_distance[e] == 0) {
          consumer = true;
          ascending = ascending && p.edge_dst[e] > i;
        }
      stores[i] = p.out_size[i] > 0 && consumer;
    }
    by_index = !any_tracked && ascending;
  }
  template <class Fn>
  void forward(Fn&& fn) const {
    if (by_index) {
      for (op_id i = 0; i < p.num_ops(); ++i) fn(i);
    } else {
      for (op_id i : p.topo_order) fn(i);
    }
  }
  template <class Fn>
  void backward(Fn&& fn) const {
    if (by_index) {
      for (op_id i = p.num_ops(); i-- > 0;) fn(i);
    } else {
      for (auto it = p.topo_order.rbegin(); it != p.topo_order.rend(); ++it) fn(*it);
    }
  }
};

/// Moves the ops that store nothing as early as their inputs and units allow (topological order,
/// so their inputs are final).
void advance_sinks(const Walk& w, Reservations& table, std::vector<std::int32_t>& start) {
  const Problem& p = w.p;
  w.forward([&](op_id i) {
    if (w.stores[i]) return;
    std::int32_t lo = 0;
    for (edge_id q = p.pred_offsets[i]; q < p.pred_offsets[i + 1]; ++q) {
      const edge_id e = p.pred_edges[q];
      if (p.edge_distance[e] == 0) lo = std::max(lo, start[p.edge_src[e]] + p.edge_delay[e]);
    }
    if (lo >= start[i]) return;
    table.add(i, start[i], -1);
    std::int32_t t = start[i];
    if (!table.tracked(i)) {
      t = lo;
    } else {
      for (std::int32_t c = lo, probes = 0; c < start[i] && probes < kMaxProbes; ++c, ++probes)
        if (table.fits(i, c)) {
          t = c;
          break;
        }
    }
    table.add(i, t, 1);
    start[i] = t;
  });
}

/// Moves the ops that store a value later, consumers first (their starts are final), up to their
/// consumers, the horizon, and with `keep_inputs` the last use of each input (so no interval
/// grows); without it, as late as consumers and units allow (an ALAP compaction).
void delay_values(Walk& w, std::int32_t horizon, bool keep_inputs, Reservations& table,
                  std::vector<std::int32_t>& start) {
  const Problem& p = w.p;
  const op_id n = p.num_ops();
  if (keep_inputs) {
    // Per op, the least last use over its stored inputs, as of the pass's start (the moves stay
    // within it): each value's last use, scattered to its consumers along the edge list.
    w.inlim.assign(static_cast<std::size_t>(n), std::numeric_limits<std::int32_t>::max());
    for (op_id k = 0; k < n; ++k) {
      if (!(p.out_size[k] > 0)) continue;
      std::int32_t last = start[k];
      for (edge_id e = p.succ_offsets[k]; e < p.succ_offsets[k + 1]; ++e)
        if (p.edge_distance[e] == 0) last = std::max(last, start[p.edge_dst[e]]);
      for (edge_id e = p.succ_offsets[k]; e < p.succ_offsets[k + 1]; ++e)
        if (p.edge_distance[e] == 0) {
          std::int32_t& lim = w.inlim[p.edge_dst[e]];
          lim = std::min(lim, last);
        }
    }
  }
  w.backward([&](op_id i) {
    if (!w.stores[i]) return;
    std::int32_t hi = horizon - occupancy(p, i);
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0) hi = std::min(hi, start[p.edge_dst[e]] - p.edge_delay[e]);
    if (keep_inputs) hi = std::min(hi, w.inlim[i]);
    if (hi <= start[i]) return;
    table.add(i, start[i], -1);
    std::int32_t t = start[i];
    if (!table.tracked(i)) {
      t = hi;
    } else {
      for (std::int32_t c = hi, probes = 0; c > start[i] && probes < kMaxProbes; --c, ++probes)
        if (table.fits(i, c)) {
          t = c;
          break;
        }
    }
    table.add(i, t, 1);
    start[i] = t;
  });
}

}  // namespace

bool improve_memory(const Problem& p, std::int32_t horizon, std::vector<std::int32_t>& start) {
  const op_id n = p.num_ops();
  if (horizon <= 0 || static_cast<op_id>(start.size()) != n) return false;
  std::int64_t limited = 0, width = horizon;
  for (const Resource& r : p.resources) limited += r.limit >= 0 ? 1 : 0;
  for (op_id i = 0; i < n; ++i) {
    if (start[i] < 0 || start[i] + occupancy(p, i) > horizon) return false;
    const std::int32_t k = p.op_resource[i];
    if (k >= 0 && p.resources[k].limit >= 0)
      width = std::max<std::int64_t>(width, std::int64_t{horizon} + p.blocking[i]);
  }
  // The table is `width` steps per limited class; a huge one is left alone, not allocated.
  if (limited > 0 && static_cast<double>(limited) * static_cast<double>(width) > 64.0 * (n + 1024))
    return false;
  if (limited == 0) width = 0;
  Schedule s;
  s.horizon = horizon;
  s.start = start;
  const double before = peak_memory(p, s);
  // Both candidates below begin by advancing the sinks from `start` on a fresh table, which
  // gives the same starts and table either way: done once, then copied.
  Reservations table(p, static_cast<std::int32_t>(width), start);
  bool any_tracked = false;
  for (op_id i = 0; i < n && !any_tracked; ++i) any_tracked = table.tracked(i);
  Walk walk(p, any_tracked);
  std::vector<std::int32_t> advanced = start;
  advance_sinks(walk, table, advanced);
  // Safe: no step's memory can rise.
  std::vector<std::int32_t> safe = advanced;
  {
    Reservations safe_table = table;
    delay_values(walk, horizon, true, safe_table, safe);
  }
  // ALAP compaction: every value produced as late as its consumers allow. Delaying an op
  // lengthens its inputs' lifetimes, so this one is scored, not assumed better.
  std::vector<std::int32_t> late = std::move(advanced);
  delay_values(walk, horizon, false, table, late);
  delay_values(walk, horizon, true, table, late);
  s.start = std::move(safe);
  const double m_safe = peak_memory(p, s);
  std::swap(s.start, late);
  const double m_late = peak_memory(p, s);
  if (!(std::min(m_safe, m_late) < before)) return false;
  start = m_late < m_safe ? std::move(s.start) : std::move(late);
  return true;
}

}  // namespace gaus::detail
