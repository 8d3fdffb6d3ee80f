#include "host/bounds/ii_bound.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "core/modulo_conflict.hpp"
#include "graphs/analysis.hpp"
#include "graphs/components.hpp"
#include "host/bounds/ii_propagation.hpp"

namespace gaus {

namespace {

constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min() / 4;
/// A group's longest-path sources times its component's ops, past which it is skipped: the
/// bound stays a fraction of a second on the largest graphs.
constexpr std::size_t kMaxGroupWork = 2000000;
/// The triple test of a two-unit class runs on groups of at most this many ops.
constexpr std::size_t kMaxTripleGroup = 48;
/// The matching test runs on groups of at most this many ops.
constexpr std::size_t kMaxMatchingGroup = 128;
/// The matching test's residue domains, summed over a group's ops, at most (per anchor), and
/// the largest II of the triple and matching tests (their cost grows with it).
constexpr std::size_t kMaxDomain = 100000;
constexpr std::int32_t kMaxTestedIi = 4096;
/// The exact search runs on groups of at most this many ops, for at most kMaxNodes offsets
/// tried per group and II.
constexpr std::size_t kMaxSearchGroup = 64;
constexpr std::int64_t kMaxNodes = 200000;

struct Group {
  std::int32_t limit = 1;  ///< the class's units
  std::int32_t comp = 0;
  std::vector<op_id> ops;
};

enum class Paths { settled, positive_cycle, unknown };

/// Longest paths at `ii` from `src` to every op of its component (`members`, in topological
/// order), over the component's edges: kNone where unreached. positive_cycle when they still
/// change after |members| passes (no schedule at `ii`); unknown when they still change after
/// kMaxPasses passes on a larger component.
constexpr std::size_t kMaxPasses = 64;
Paths longest_from(const Problem& p, const std::vector<std::int32_t>& comp,
                   const std::vector<op_id>& members, op_id src, std::int32_t ii,
                   std::vector<std::int64_t>& d) {
  for (const op_id v : members) d[v] = kNone;
  d[src] = 0;
  const std::size_t passes = std::min(members.size(), kMaxPasses) + 1;
  for (std::size_t pass = 0; pass < passes; ++pass) {
    bool changed = false;
    for (const op_id v : members) {
      if (d[v] == kNone) continue;
      for (edge_id e = p.succ_offsets[v]; e < p.succ_offsets[v + 1]; ++e) {
        const op_id w = p.edge_dst[e];
        if (comp[w] != comp[v]) continue;
        const std::int64_t x =
            d[v] + p.edge_delay[e] - std::int64_t{p.edge_distance[e]} * ii;
        if (x > d[w]) {
          d[w] = x;
          changed = true;
        }
      }
    }
    if (!changed) return Paths::settled;
  }
  return members.size() <= kMaxPasses ? Paths::positive_cycle : Paths::unknown;
}

/// A class of two units: whether some triple of the group has no offsets within its ranges
/// that keep the three off a common residue. Ranges longer than 2 II are taken as fitting.
bool triple_refutes(const Problem& p, const Group& g, const std::vector<std::int64_t>& dist,
                    std::int32_t ii) {
  const std::size_t k = g.ops.size();
  const auto lo = [&](std::size_t a, std::size_t b) { return dist[a * k + b]; };
  const auto hi = [&](std::size_t a, std::size_t b) { return -dist[b * k + a]; };
  const auto busy = [&](std::size_t a) { return std::int64_t{p.blocking[g.ops[a]]}; };
  for (std::size_t a = 0; a < k; ++a) {
    if (busy(a) > ii) continue;
    for (std::size_t b = a + 1; b < k; ++b) {
      if (busy(b) > ii || hi(a, b) - lo(a, b) > 2 * ii) continue;
      for (std::size_t c = b + 1; c < k; ++c) {
        if (busy(c) > ii || hi(a, c) - lo(a, c) > 2 * ii) continue;
        bool fits = false;
        for (std::int64_t xb = lo(a, b); xb <= hi(a, b) && !fits; ++xb) {
          const std::int64_t from = std::max(lo(a, c), xb + lo(b, c));
          const std::int64_t to = std::min(hi(a, c), xb + hi(b, c));
          for (std::int64_t xc = from; xc <= to && !fits; ++xc)
            fits = !busy_triple_overlaps(busy(a), xb, busy(b), xc, busy(c), ii);
        }
        if (!fits) return true;
      }
    }
  }
  return false;
}

/// A class whose group ops all hold their unit one cycle: for each anchor a, every op v must
/// take a residue of its offset range [D(a, v), -D(v, a)] (a itself residue 0), at most C ops
/// a residue. Whether some anchor leaves no such assignment (a bipartite b-matching, by
/// augmenting paths).
bool matching_refutes(const Group& g, const std::vector<std::int64_t>& dist, std::int32_t ii) {
  const std::size_t k = g.ops.size();
  std::vector<std::vector<std::int32_t>> domain(k);
  std::vector<std::vector<std::int32_t>> holders(static_cast<std::size_t>(ii));
  std::vector<std::int32_t> at(k);
  std::vector<char> seen(static_cast<std::size_t>(ii));
  // Augmenting path from op v: a residue with room, or one whose holder can move.
  const auto augment = [&](auto&& self, std::size_t v) -> bool {
    for (const std::int32_t r : domain[v]) {
      if (seen[r]) continue;
      seen[r] = 1;
      auto& h = holders[r];
      if (static_cast<std::int32_t>(h.size()) < g.limit) {
        h.push_back(static_cast<std::int32_t>(v));
        at[v] = r;
        return true;
      }
      for (std::int32_t& u : h)
        if (self(self, static_cast<std::size_t>(u))) {
          u = static_cast<std::int32_t>(v);
          at[v] = r;
          return true;
        }
    }
    return false;
  };
  for (std::size_t a = 0; a < k; ++a) {
    // An op that can take every residue is left out (a relaxation: still a necessary
    // condition), and so is an anchor whose domains would pass kMaxDomain entries.
    std::size_t entries = 0;
    for (std::size_t v = 0; v < k; ++v) {
      const std::int64_t lo = dist[a * k + v], hi = -dist[v * k + a];
      domain[v].clear();
      if (hi - lo + 1 >= ii) continue;
      entries += static_cast<std::size_t>(hi - lo + 1);
      if (entries > kMaxDomain) break;
      for (std::int64_t x = lo; x <= hi; ++x)
        domain[v].push_back(static_cast<std::int32_t>(((x % ii) + ii) % ii));
    }
    if (entries > kMaxDomain) continue;
    for (auto& h : holders) h.clear();
    for (std::size_t v = 0; v < k; ++v) {
      if (domain[v].empty()) continue;
      std::fill(seen.begin(), seen.end(), 0);
      if (!augment(augment, v)) return true;
    }
  }
  return false;
}

/// The group alone, exactly: offsets x_v from its first op (at 0) within [D(0, v), -D(v, 0)],
/// every pair within its range [D(v, w), -D(w, v)], at most C units a residue, by depth-first
/// search (the op with the fewest offsets left next; placing one narrows the others' ranges:
/// D is closed under paths, so the ranges stay consistent). Refutes when the search ends
/// without a placement; gives up (false) past kMaxNodes nodes, or when an op's range is wider
/// than 4 II or its B exceeds II.
bool search_refutes(const Problem& p, const Group& g, const std::vector<std::int64_t>& dist,
                    std::int32_t ii) {
  const std::size_t k = g.ops.size();
  std::vector<std::int64_t> lo(k), hi(k);
  for (std::size_t v = 0; v < k; ++v) {
    lo[v] = dist[v];  // D(ops[0], ops[v])
    hi[v] = -dist[v * k];
    if (hi[v] - lo[v] + 1 > 4 * std::int64_t{ii} || p.blocking[g.ops[v]] > ii) return false;
  }
  std::vector<std::int32_t> use(static_cast<std::size_t>(ii), 0);
  std::vector<char> placed(k, 0);
  std::int64_t nodes = 0;
  const auto cells = [&](std::size_t v, std::int64_t x, std::int32_t add) {
    bool ok = true;
    for (std::int32_t u = 0; u < p.blocking[g.ops[v]]; ++u) {
      const auto r = static_cast<std::size_t>((((x + u) % ii) + ii) % ii);
      use[r] += add;
      ok = ok && use[r] <= g.limit;
    }
    return ok;
  };
  // True when the ops not yet placed fit within ranges l, h.
  const auto dfs = [&](auto&& self, std::size_t left, const std::vector<std::int64_t>& l,
                       const std::vector<std::int64_t>& h) -> bool {
    if (left == 0) return true;
    std::size_t v = k;
    for (std::size_t w = 0; w < k; ++w)
      if (!placed[w] && (v == k || h[w] - l[w] < h[v] - l[v])) v = w;
    placed[v] = 1;
    std::vector<std::int64_t> l2(k), h2(k);
    for (std::int64_t x = l[v]; x <= h[v]; ++x) {
      if (++nodes > kMaxNodes) break;
      const bool fits = cells(v, x, 1);
      bool ok = fits;
      for (std::size_t w = 0; ok && w < k; ++w) {
        if (placed[w]) continue;
        l2[w] = std::max(l[w], x + dist[v * k + w]);
        h2[w] = std::min(h[w], x - dist[w * k + v]);
        ok = l2[w] <= h2[w];
      }
      const bool done = ok && self(self, left - 1, l2, h2);
      cells(v, x, -1);
      if (done) {
        placed[v] = 0;
        return true;
      }
    }
    placed[v] = 0;
    return false;
  };
  std::vector<std::int64_t> l = lo, h = hi;
  l[0] = h[0] = 0;
  const bool found = dfs(dfs, k, l, h);
  return !found && nodes <= kMaxNodes;
}

/// Whether the group's conflicts refute `ii`.
bool refutes(const Problem& p, const std::vector<std::int32_t>& comp,
             const std::vector<op_id>& members, const Group& g, std::int32_t ii,
             std::vector<std::int64_t>& d) {
  const std::size_t k = g.ops.size();
  std::vector<std::int64_t> dist(k * k);  // dist[a * k + b] = D(ops[a], ops[b])
  for (std::size_t a = 0; a < k; ++a) {
    const Paths r = longest_from(p, comp, members, g.ops[a], ii, d);
    if (r != Paths::settled) return r == Paths::positive_cycle;
    for (std::size_t b = 0; b < k; ++b) dist[a * k + b] = d[g.ops[b]];
  }
  for (std::size_t a = 0; g.limit == 1 && a < k; ++a)
    for (std::size_t b = a + 1; b < k; ++b)  // s_b - s_a in [D(a, b), -D(b, a)]
      if (!unit_pair_fits(dist[a * k + b], -dist[b * k + a], p.blocking[g.ops[a]],
                          p.blocking[g.ops[b]], ii))
        return true;
  if (ii > kMaxTestedIi) return false;
  std::vector<std::int32_t> use(static_cast<std::size_t>(ii), 0);
  for (std::size_t a = 0; a < k; ++a) {
    std::fill(use.begin(), use.end(), 0);
    for (std::size_t b = 0; b < k; ++b) {
      const std::int64_t lo = dist[a * k + b];
      if (lo != -dist[b * k + a]) continue;
      // b's start is forced at lo from a's: its busy cycles land on fixed residues.
      bool over = false;
      for_busy_residues(lo, p.blocking[g.ops[b]], ii, [&](std::int32_t r, std::int32_t m) {
        use[static_cast<std::size_t>(r)] += m;
        over = over || use[static_cast<std::size_t>(r)] > g.limit;
      });
      if (over) return true;
    }
  }
  if (g.limit == 2 && k <= kMaxTripleGroup && triple_refutes(p, g, dist, ii)) return true;
  const bool unit_busy = std::all_of(g.ops.begin(), g.ops.end(),
                                     [&](op_id v) { return p.blocking[v] == 1; });
  if (unit_busy && k <= kMaxMatchingGroup && matching_refutes(g, dist, ii)) return true;
  return k <= kMaxSearchGroup && search_refutes(p, g, dist, ii);
}

}  // namespace

std::int32_t ii_conflict_bound(const Problem& p, std::int32_t from, std::int32_t steps,
                               std::int32_t max_group) {
  from = std::max(from, 1);
  std::int32_t count = 0;
  const std::vector<std::int32_t> comp = strong_components(p, &count);
  std::vector<std::vector<op_id>> members(static_cast<std::size_t>(count));
  for (const op_id v : p.topo_order) members[comp[v]].push_back(v);
  // Groups: a limited class's ops (B > 0) within one component of two or more ops.
  std::vector<Group> groups;
  {
    std::vector<std::int32_t> slot(static_cast<std::size_t>(count) * p.resources.size(), -1);
    for (const op_id v : p.topo_order) {
      const std::int32_t r = p.op_resource[v];
      if (r == kNoResource || p.blocking[v] <= 0 || p.resources[r].limit < 1 ||
          members[comp[v]].size() < 2)
        continue;
      std::int32_t& s = slot[static_cast<std::size_t>(comp[v]) * p.resources.size() + r];
      if (s < 0) {
        s = static_cast<std::int32_t>(groups.size());
        groups.push_back({p.resources[r].limit, comp[v], {}});
      }
      groups[s].ops.push_back(v);
    }
  }
  std::erase_if(groups, [&](const Group& g) {
    return g.ops.size() < 2 || g.ops.size() > static_cast<std::size_t>(max_group) ||
           g.ops.size() * members[g.comp].size() > kMaxGroupWork;
  });
  if (groups.empty()) return from;
  // The components with a group, for the test over all their classes at once.
  std::vector<std::int32_t> comps;
  for (const Group& g : groups) comps.push_back(g.comp);
  std::sort(comps.begin(), comps.end());
  comps.erase(std::unique(comps.begin(), comps.end()), comps.end());
  std::vector<std::int64_t> d(static_cast<std::size_t>(p.num_ops()), kNone);
  const std::int64_t end = std::int64_t{from} + std::max(steps, 1);
  for (std::int64_t ii = from; ii < end; ++ii) {
    bool refuted = false;
    for (const Group& g : groups) {
      if (refutes(p, comp, members[g.comp], g, static_cast<std::int32_t>(ii), d)) {
        refuted = true;
        break;
      }
    }
    for (std::size_t c = 0; !refuted && c < comps.size(); ++c)
      refuted = propagation_refutes(p, members[comps[c]], static_cast<std::int32_t>(ii));
    if (!refuted) return static_cast<std::int32_t>(ii);
  }
  return static_cast<std::int32_t>(std::min<std::int64_t>(end, std::numeric_limits<std::int32_t>::max()));
}

void check_modulo_ii(const Problem& p, std::int32_t ii) {
  check_ii(p, ii);
  if (p.num_loop_carried() == 0) return;
  const std::int32_t bound = ii_conflict_bound(p, ii);
  if (bound <= ii) return;
  throw InfeasibleError(where(p.source, 0) + ": II=" + std::to_string(ii) +
                        " is below the bound of unit conflicts on recurrences, " +
                        std::to_string(bound) +
                        ": the ops of a recurrence cannot all fit their units at that II");
}

}  // namespace gaus
