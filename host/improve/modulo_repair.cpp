#include "host/improve/modulo_repair.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "core/modulo_conflict.hpp"
#include "core/timing.hpp"
#include "graphs/analysis.hpp"
#include "host/improve/anneal_common.hpp"
#include "host/verify/verify.hpp"

namespace gaus::detail {

namespace {

/// Units held per (limited class, residue), the ops holding each cell, the over-full cells and
/// the overflow: the sum over cells of the units past the class's limit.
class ResidueTable {
 public:
  ResidueTable(const Problem& p, std::int32_t ii) : p_(p), ii_(ii), slot_(p.resources.size(), -1) {
    for (std::size_t k = 0; k < p.resources.size(); ++k)
      if (p.resources[k].limit >= 0) {
        slot_[k] = static_cast<std::int32_t>(cap_.size());
        cap_.push_back(p.resources[k].limit);
      }
    const std::size_t cells = cap_.size() * static_cast<std::size_t>(ii);
    use_.assign(cells, 0);
    holders_.resize(cells);
    full_at_.assign(cells, -1);
  }
  [[nodiscard]] bool tracked(op_id i) const {
    const std::int32_t k = p_.op_resource[i];
    return k >= 0 && p_.blocking[i] > 0 && slot_[k] >= 0;
  }
  /// Adds (sign 1) or removes (sign -1) op i held from t; returns the change of the overflow.
  std::int64_t place(op_id i, std::int32_t t, std::int32_t sign) {
    if (!tracked(i)) return 0;
    const std::size_t s = static_cast<std::size_t>(slot_[p_.op_resource[i]]);
    const std::int32_t c = cap_[s];
    const std::size_t base = s * static_cast<std::size_t>(ii_);
    std::int64_t delta = 0;
    for_busy_residues(t, p_.blocking[i], ii_, [&](std::int32_t r, std::int32_t m) {
      const std::size_t cell = base + static_cast<std::size_t>(r);
      const std::int32_t before = std::max(use_[cell] - c, 0);
      use_[cell] += sign * m;
      const std::int32_t after = std::max(use_[cell] - c, 0);
      delta += after - before;
      if ((before > 0) != (after > 0)) mark_full(cell, after > 0);
      auto& h = holders_[cell];
      if (sign > 0) {
        h.push_back(i);
      } else {
        *std::find(h.begin(), h.end(), i) = h.back();
        h.pop_back();
      }
    });
    overflow_ += delta;
    return delta;
  }
  [[nodiscard]] std::int64_t overflow() const { return overflow_; }
  /// The ops holding a random over-full cell (empty when none is).
  [[nodiscard]] const std::vector<op_id>& pick_full(Rng& rng) const {
    static const std::vector<op_id> none;
    if (full_.empty()) return none;
    return holders_[full_[static_cast<std::size_t>(rng.below(std::ssize(full_)))]];
  }

 private:
  void mark_full(std::size_t cell, bool full) {
    if (full) {
      full_at_[cell] = static_cast<std::int64_t>(full_.size());
      full_.push_back(cell);
    } else {
      const auto at = static_cast<std::size_t>(full_at_[cell]);
      full_[at] = full_.back();
      full_at_[full_[at]] = static_cast<std::int64_t>(at);
      full_.pop_back();
      full_at_[cell] = -1;
    }
  }

  const Problem& p_;
  std::int32_t ii_;
  std::vector<std::int32_t> slot_;  // class -> slot, or -1 (unlimited)
  std::vector<std::int32_t> cap_;   // slot -> units
  std::vector<std::int32_t> use_;   // slot * II + residue -> units held
  std::vector<std::vector<op_id>> holders_;  // per cell, the ops holding it
  std::vector<std::size_t> full_;            // the over-full cells
  std::vector<std::int64_t> full_at_;        // cell -> its index in full_, or -1
  std::int64_t overflow_ = 0;
};

}  // namespace

ModuloRepairResult repair_modulo(const Problem& p, std::int32_t ii, std::int32_t horizon,
                                 std::vector<std::int32_t>& start, const ModuloRepairOptions& o,
                                 const std::function<bool()>& stop) {
  ModuloRepairResult res;
  const op_id n = p.num_ops();
  if (ii <= 0 || n == 0 || start.size() != static_cast<std::size_t>(n)) return res;
  // Each start raised to the least that meets every edge at the II from the given starts.
  std::vector<std::int32_t> s = earliest_starts(p, ii, start);
  if (s.empty()) return res;  // a recurrence needs a larger II
  for (op_id i = 0; i < n; ++i)
    if (std::int64_t{s[i]} + occupancy(p, i) > horizon) return res;
  const AnnealArcs arcs(p, ii);
  ResidueTable table(p, ii);
  for (op_id i = 0; i < n; ++i) table.place(i, s[i], 1);
  res.overflow = table.overflow();
  Rng rng(o.seed);
  PushPlan push(n);
  std::vector<std::int64_t> tabu(static_cast<std::size_t>(n), -1);
  std::vector<op_id> holders;
  struct Option {
    std::int32_t t;
    bool pushed;
  };
  std::vector<Option> options;
  // apply: the moves of a push plan made on the table and starts, returning the overflow's
  // change; revert: the last apply taken back.
  std::vector<std::pair<op_id, std::int32_t>> undo;
  auto apply = [&](const std::vector<std::pair<op_id, std::int32_t>>& moved) {
    std::int64_t delta = 0;
    undo.clear();
    for (const auto& [x, t] : moved) {
      undo.push_back({x, s[x]});
      delta += table.place(x, s[x], -1);
      delta += table.place(x, t, 1);
      s[x] = t;
    }
    return delta;
  };
  auto revert = [&] {
    for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
      table.place(it->first, s[it->first], -1);
      table.place(it->first, it->second, 1);
      s[it->first] = it->second;
    }
  };
  for (std::int64_t m = 0; m < o.moves && table.overflow() > 0; ++m) {
    if ((m & 255) == 0 && stop && stop()) break;
    res.moves = m + 1;
    holders = table.pick_full(rng);  // a copy: moves below change the table
    // A holder not moved lately, if any (tabu); else any.
    op_id i = holders[static_cast<std::size_t>(rng.below(std::ssize(holders)))];
    for (int k = 0; k < 4 && tabu[i] > m; ++k)
      i = holders[static_cast<std::size_t>(rng.below(std::ssize(holders)))];
    std::int32_t lo = 0, hi = 0;
    move_frame(p, arcs, horizon, s, i, lo, hi);
    options.clear();
    for (std::int64_t t = lo; t <= hi && t < std::int64_t{lo} + ii; ++t)
      if (t != s[i]) options.push_back({static_cast<std::int32_t>(t), false});
    // Past the frame: a push later or earlier by one step or a random distance up to II.
    for (const std::int64_t t : {std::int64_t{hi} + 1, std::int64_t{hi} + 1 + rng.below(ii),
                                 std::int64_t{lo} - 1, std::int64_t{lo} - 1 - rng.below(ii)})
      if (t >= 0 && t + occupancy(p, i) <= horizon && t != s[i])
        options.push_back({static_cast<std::int32_t>(t), true});
    if (options.empty()) continue;
    // The best option (ties at random), or with probability `noise` a random one.
    std::int64_t best = std::numeric_limits<std::int64_t>::max();
    std::size_t pick = options.size(), ties = 0;
    const bool random = rng.uniform() < o.noise;
    const std::size_t only =
        random ? static_cast<std::size_t>(rng.below(std::ssize(options))) : options.size();
    for (std::size_t k = 0; k < options.size(); ++k) {
      if (random && k != only) continue;
      std::int64_t delta;
      if (options[k].pushed) {
        if (!push.plan(p, arcs, horizon, s, i, options[k].t, o.push_limit)) continue;
        delta = apply(push.moved());
        revert();
      } else {
        delta = table.place(i, s[i], -1) + table.place(i, options[k].t, 1);
        table.place(i, options[k].t, -1);
        table.place(i, s[i], 1);
      }
      if (delta < best) {
        best = delta;
        pick = k;
        ties = 1;
      } else if (delta == best && rng.below(static_cast<std::int64_t>(++ties)) == 0) {
        pick = k;
      }
    }
    if (pick == options.size()) continue;
    if (tabu[i] > m && table.overflow() + best >= res.overflow) continue;  // tabu, no aspiration
    if (options[pick].pushed) {
      push.plan(p, arcs, horizon, s, i, options[pick].t, o.push_limit);
      apply(push.moved());
    } else {
      table.place(i, s[i], -1);
      table.place(i, options[pick].t, 1);
      s[i] = options[pick].t;
    }
    tabu[i] = m + o.tenure;
    res.overflow = std::min(res.overflow, table.overflow());
  }
  if (table.overflow() > 0) return res;
  res.repaired = true;
  res.overflow = 0;
  // Shifted down by a multiple of II (which keeps every residue) so the first start is below II.
  std::int32_t least = *std::min_element(s.begin(), s.end());
  least -= least % ii;
  for (std::int32_t& t : s) t -= least;
  start = std::move(s);
  return res;
}

std::optional<Schedule> repair_at_ii(const Problem& p, const Schedule& from, std::int32_t ii,
                                     std::uint64_t seed, const std::function<bool()>& stop) {
  const std::int64_t horizon = 2 * std::int64_t{schedule_latency(p, from)} + 4 * std::int64_t{ii};
  if (ii < 1 || horizon > std::int64_t{1} << 30) return std::nullopt;
  ModuloRepairOptions o;
  o.moves = std::clamp<std::int64_t>(200 * std::int64_t{p.num_ops()}, 200000, 2000000);
  o.seed = seed;
  std::vector<std::int32_t> start = from.start;
  if (!repair_modulo(p, ii, static_cast<std::int32_t>(horizon), start, o, stop).repaired)
    return std::nullopt;
  Schedule s;
  s.start = std::move(start);
  s.ii = ii;
  s.horizon = schedule_latency(p, s);
  if (!verify(p, s, 1).legal) return std::nullopt;
  return s;
}

Schedule repair_ii_down(const Problem& p, Schedule best, std::int32_t lower, std::uint64_t seed,
                        const std::function<bool()>& stop) {
  for (std::int32_t ii = best.ii - 1; ii >= std::max(lower, 1) && !(stop && stop()); --ii) {
    std::optional<Schedule> s = repair_at_ii(p, best, ii, seed + static_cast<std::uint64_t>(ii), stop);
    if (!s) break;
    best = std::move(*s);
  }
  return best;
}

}  // namespace gaus::detail
