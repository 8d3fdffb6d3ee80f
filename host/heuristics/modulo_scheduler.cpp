// Iterative modulo scheduling (B. R. Rau, "Iterative Modulo Scheduling: An Algorithm for
// Software Pipelining Loops", MICRO 1994) over a modulo reservation table at one II; the search
// for the smallest II, over several priorities, is modulo_search.cpp.
//
// Differences from Rau's paper: the priority is the caller's (by default the list-scheduling
// one, ALAP over distance-0 edges; modulo_search.hpp has Rau's height and others); unit
// classes with C_k > 1 units are counted per residue rather than bound to unit instances, so forcing an op in evicts the least
// urgent occupants of each over-full residue until it fits.
#include <algorithm>
#include <array>
#include <limits>
#include <queue>
#include <string>

#include "core/error.hpp"
#include "core/modulo_conflict.hpp"
#include "graphs/analysis.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/heuristics/modulo_search.hpp"

namespace gaus {

namespace {

constexpr std::int64_t kMaxStep = std::numeric_limits<std::int32_t>::max();

/// Minimum over a row of residues, for "the first residue at or after r whose use is at most
/// x" in O(log ii): probing every step of an II window cost O(ii) per op, 1.25e9 probes on a
/// 100,000-op graph at II 25,072.
class MinTree {
 public:
  explicit MinTree(std::int32_t n) : n_(n) {
    while (leaves_ < n) leaves_ *= 2;
    min_.assign(2 * static_cast<std::size_t>(leaves_), std::numeric_limits<std::int32_t>::max());
    for (std::int32_t r = 0; r < n; ++r) set(r, 0);
  }
  void set(std::int32_t r, std::int32_t v) {
    std::size_t k = static_cast<std::size_t>(leaves_ + r);
    min_[k] = v;
    for (k /= 2; k >= 1; k /= 2) min_[k] = std::min(min_[2 * k], min_[2 * k + 1]);
  }
  /// The first residue in [lo, n) whose value is at most x, or -1.
  [[nodiscard]] std::int32_t first_at_most(std::int32_t lo, std::int32_t x) const {
    return lo >= n_ ? -1 : find(1, 0, leaves_, lo, x);
  }

 private:
  [[nodiscard]] std::int32_t find(std::size_t k, std::int32_t a, std::int32_t b, std::int32_t lo,
                                  std::int32_t x) const {
    if (b <= lo || min_[k] > x) return -1;
    if (b - a == 1) return a;
    const std::int32_t mid = a + (b - a) / 2;
    const std::int32_t left = find(2 * k, a, mid, lo, x);
    return left >= 0 ? left : find(2 * k + 1, mid, b, lo, x);
  }
  std::int32_t n_, leaves_ = 1;
  std::vector<std::int32_t> min_;
};

/// Unit use of the limited classes folded onto residues 0..ii-1, with the ops occupying each
/// (class, residue) cell so conflicting ops can be evicted.
class ModuloTable {
 public:
  ModuloTable(const Problem& p, std::int32_t ii) : p_(p), ii_(ii) {
    slot_.assign(p.resources.size(), -1);
    std::int32_t k_used = 0;
    for (std::size_t k = 0; k < p.resources.size(); ++k)
      if (p.resources[k].limit >= 0) slot_[k] = k_used++;
    used_.assign(static_cast<std::size_t>(k_used) * ii, 0);
    occupants_.resize(used_.size());
    rows_.assign(static_cast<std::size_t>(k_used), MinTree(ii));
  }

  /// True when op i holds a unit of a limited class.
  [[nodiscard]] bool tracks(op_id i) const {
    const std::int32_t k = p_.op_resource[i];
    return k != kNoResource && p_.blocking[i] > 0 && slot_[k] >= 0;
  }

  /// Whether op i fits when started at t (requires tracks(i)).
  [[nodiscard]] bool fits(op_id i, std::int64_t t) const {
    const std::int32_t c = p_.resources[p_.op_resource[i]].limit;
    bool ok = true;
    for_cells(i, t, [&](std::size_t cell, std::int32_t m) { ok = ok && used_[cell] + m <= c; });
    return ok;
  }

  /// The first step of [est, est + ii) where op i fits (requires tracks(i)), or -1: the same
  /// step as probing each in turn, but skipping those whose first busy cell is full.
  [[nodiscard]] std::int64_t first_fit(op_id i, std::int64_t est) const {
    const std::int32_t b = p_.blocking[i];
    const std::int32_t first = b / ii_ + (b % ii_ > 0 ? 1 : 0);  // units at the start's cell
    const std::int32_t x = p_.resources[p_.op_resource[i]].limit - first;
    const MinTree& row = rows_[static_cast<std::size_t>(slot_[p_.op_resource[i]])];
    const auto r0 = static_cast<std::int32_t>(est % ii_);
    // Residues r0..ii-1 (offsets 0..), then 0..r0-1 (offsets ii - r0..).
    for (const auto [lo, hi, shift] : {std::array<std::int32_t, 3>{r0, ii_, -r0},
                                       std::array<std::int32_t, 3>{0, r0, ii_ - r0}}) {
      for (std::int32_t r = row.first_at_most(lo, x); r >= 0 && r < hi;
           r = row.first_at_most(r + 1, x)) {
        const std::int64_t t = est + r + shift;
        if (fits(i, t)) return t;
      }
    }
    return -1;
  }

  /// Evicts occupants (least urgent first, by `rank`) until op i fits at t; returns them.
  template <typename Evict>
  void make_room(op_id i, std::int64_t t, const std::vector<op_id>& rank, Evict&& evict) {
    const std::int32_t c = p_.resources[p_.op_resource[i]].limit;
    for_cells(i, t, [&](std::size_t cell, std::int32_t m) {
      while (used_[cell] + m > c && !occupants_[cell].empty()) {
        const auto& occ = occupants_[cell];
        op_id victim = occ.front();
        for (op_id o : occ)
          if (rank[o] > rank[victim]) victim = o;
        evict(victim);  // calls remove(victim, its start)
      }
    });
  }

  void add(op_id i, std::int64_t t) {
    for_cells(i, t, [&](std::size_t cell, std::int32_t m) {
      used_[cell] += m;
      sync(cell);
      occupants_[cell].push_back(i);
    });
  }
  void remove(op_id i, std::int64_t t) {
    for_cells(i, t, [&](std::size_t cell, std::int32_t m) {
      used_[cell] -= m;
      sync(cell);
      auto& occ = occupants_[cell];
      auto it = std::find(occ.begin(), occ.end(), i);
      *it = occ.back();
      occ.pop_back();
    });
  }

 private:
  /// Calls f(cell, units) for each residue op i occupies when started at t: residue
  /// (t + u) mod ii for u < min(B, ii), holding B / ii units plus one for u < B mod ii.
  template <typename F>
  void for_cells(op_id i, std::int64_t t, F&& f) const {
    const std::size_t base = static_cast<std::size_t>(slot_[p_.op_resource[i]]) * ii_;
    for_busy_residues(t, p_.blocking[i], ii_, [&](std::int32_t r, std::int32_t m) {
      f(base + static_cast<std::size_t>(r), m);
    });
  }

  void sync(std::size_t cell) {
    rows_[cell / static_cast<std::size_t>(ii_)].set(
        static_cast<std::int32_t>(cell % static_cast<std::size_t>(ii_)), used_[cell]);
  }

  const Problem& p_;
  std::int32_t ii_;
  std::vector<std::int32_t> slot_;  // class -> row in used_, or -1 (unlimited)
  std::vector<std::int32_t> used_;
  std::vector<MinTree> rows_;       // per row of used_
  std::vector<std::vector<op_id>> occupants_;
};

void check_options(const Problem& p, const ListOptions& o) {
  if (!o.release.empty() && o.release.size() != static_cast<std::size_t>(p.num_ops()))
    throw InputError("modulo scheduling: release has " + std::to_string(o.release.size()) +
                     " entries for " + std::to_string(p.num_ops()) + " ops");
}

}  // namespace

std::optional<Schedule> modulo_list_schedule(const Problem& p, std::int32_t ii,
                                             const ListOptions& options) {
  std::int64_t placements = 0;
  return modulo_list_schedule_counted(p, ii, options, placements);
}

std::optional<Schedule> modulo_list_schedule_counted(const Problem& p, std::int32_t ii,
                                                     const ListOptions& options,
                                                     std::int64_t& placements) {
  if (ii <= 0)
    throw InputError("modulo scheduling: initiation interval must be >= 1, got " +
                     std::to_string(ii));
  check_options(p, options);
  const op_id n = p.num_ops();
  ModuloTable mrt(p, ii);
  for (op_id i = 0; i < n; ++i) {
    if (!mrt.tracks(i)) continue;
    const std::int32_t c = p.resources[p.op_resource[i]].limit;
    if (c == 0)
      throw InfeasibleError(where(p.source, 0) + ": op '" + std::string(p.name(i)) +
                            "' needs a unit of class '" + p.resources[p.op_resource[i]].name +
                            "', whose limit is 0");
    // Alone over the limit at some residue:
    if ((std::int64_t{p.blocking[i]} + ii - 1) / ii > c) return std::nullopt;
  }
  for (edge_id e = 0; e < p.num_edges(); ++e)
    if (p.edge_src[e] == p.edge_dst[e] &&
        p.edge_delay[e] > static_cast<std::int64_t>(p.edge_distance[e]) * ii)
      return std::nullopt;

  const std::vector<op_id> order = priority_order(p, options.priority);
  std::vector<op_id> rank(static_cast<std::size_t>(n));
  for (op_id r = 0; r < n; ++r) rank[order[r]] = r;

  std::vector<std::int64_t> s(static_cast<std::size_t>(n), 0);
  std::vector<std::int64_t> prev(static_cast<std::size_t>(n), -1);
  std::vector<char> placed(static_cast<std::size_t>(n), 0);
  std::priority_queue<op_id, std::vector<op_id>, std::greater<>> todo;  // ranks
  for (op_id r = 0; r < n; ++r) todo.push(r);
  auto evict = [&](op_id j) {
    if (mrt.tracks(j)) mrt.remove(j, s[j]);
    placed[j] = 0;
    todo.push(rank[j]);
  };

  std::int64_t budget = std::max<std::int64_t>(options.budget_ratio, 1) * n;
  while (!todo.empty()) {
    if (budget-- == 0) return std::nullopt;
    ++placements;
    const op_id i = order[todo.top()];
    todo.pop();
    std::int64_t est = options.release.empty() ? 0 : std::max(0, options.release[i]);
    for (edge_id q = p.pred_offsets[i]; q < p.pred_offsets[i + 1]; ++q) {
      const edge_id e = p.pred_edges[q];
      const op_id j = p.edge_src[e];
      if (j != i && placed[j])
        est = std::max(est, s[j] + p.edge_delay[e] -
                                static_cast<std::int64_t>(p.edge_distance[e]) * ii);
    }
    std::int64_t t = est;
    if (mrt.tracks(i)) {
      // The table repeats every ii steps: if no step of one window fits, none does.
      t = mrt.first_fit(i, est);
      if (t < 0) {
        t = (prev[i] < 0 || est > prev[i]) ? est : prev[i] + 1;
        mrt.make_room(i, t, rank, evict);
      }
    }
    const std::int64_t reach =
        t + std::max({p.latency[i], p.blocking[i], 1}) + static_cast<std::int64_t>(ii);
    if (reach > kMaxStep) return std::nullopt;
    if (mrt.tracks(i)) mrt.add(i, t);
    s[i] = t;
    prev[i] = t;
    placed[i] = 1;
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e) {
      const op_id j = p.edge_dst[e];
      if (j != i && placed[j] &&
          s[j] + static_cast<std::int64_t>(p.edge_distance[e]) * ii < t + p.edge_delay[e])
        evict(j);
    }
  }

  Schedule out;
  out.start.assign(s.begin(), s.end());
  out.ii = ii;
  out.horizon = schedule_latency(p, out);
  return out;
}

}  // namespace gaus
