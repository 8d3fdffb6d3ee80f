// The independent verifier. It shares no code with the schedulers: edges and horizon in one pass
// each, unit use per class by a sweep over the steps the class's ops occupy (a difference array
// when those steps are dense, a sort of interval ends when start values are huge or sparse), so
// the cost stays O(n + m + span) and never allocates by raw step value.
#include "host/verify/verify.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "core/timing.hpp"

namespace gaus {

const char* to_string(ViolationKind k) {
  switch (k) {
    case ViolationKind::Shape: return "shape";
    case ViolationKind::Dependency: return "dependency";
    case ViolationKind::Recurrence: return "recurrence";
    case ViolationKind::Horizon: return "horizon";
    case ViolationKind::Capacity: return "capacity";
    case ViolationKind::Chaining: return "chaining";
  }
  return "unknown";
}

namespace {

constexpr std::size_t kNamesShown = 5;


std::int32_t clamp32(std::int64_t v) {
  return static_cast<std::int32_t>(std::clamp<std::int64_t>(
      v, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max()));
}

/// Counts every violation, keeps the first `max` of them.
class Sink {
 public:
  Sink(VerifyResult& r, std::size_t max) : r_(r), max_(max) {}
  /// Counts `n` violations; returns how many of them are to be stored, given `pending` counted
  /// ones the caller will still add.
  std::size_t count(std::int64_t n = 1, std::size_t pending = 0) {
    if (n <= 0) return 0;
    r_.count += n;
    r_.legal = false;
    const std::size_t held = r_.violations.size() + pending;
    const std::size_t room = held < max_ ? max_ - held : 0;
    return static_cast<std::size_t>(std::min<std::int64_t>(n, static_cast<std::int64_t>(room)));
  }
  void add(Violation v) { r_.violations.push_back(std::move(v)); }

 private:
  VerifyResult& r_;
  std::size_t max_;
};

void check_edges(const Problem& p, const Schedule& s, std::int64_t ii, Sink& sink) {
  for (edge_id e = 0; e < p.num_edges(); ++e) {
    // A chain-breaking edge is implied by the chaining rules, which check_chaining reports.
    if (p.flags(e) & kEdgeChainBreak) continue;
    const std::int64_t dist = p.edge_distance[e];
    if (dist > 0 && ii == 0) continue;
    const op_id i = p.edge_src[e], j = p.edge_dst[e];
    const std::int64_t need = std::int64_t{s.start[i]} + p.edge_delay[e] - dist * ii;
    if (s.start[j] >= need || sink.count() == 0) continue;
    std::string msg = std::string(dist > 0 ? "recurrence " : "dependency ") + quoted_name(p, i) +
                      " -> " + quoted_name(p, j) + ": " + quoted_name(p, j) + " starts at " +
                      std::to_string(s.start[j]) + ", needs >= " + std::to_string(need) + " (" +
                      quoted_name(p, i) + " starts at " + std::to_string(s.start[i]) + ", delay " +
                      std::to_string(p.edge_delay[e]);
    if (dist > 0) msg += ", distance " + std::to_string(dist) + " at II=" + std::to_string(ii);
    msg += ")";
    sink.add({.kind = dist > 0 ? ViolationKind::Recurrence : ViolationKind::Dependency, .op = j,
              .other = i, .edge = e, .amount = need - s.start[j], .message = std::move(msg)});
  }
}

void check_horizon(const Problem& p, const Schedule& s, std::int64_t horizon, Sink& sink) {
  for (op_id i = 0; i < p.num_ops(); ++i) {
    const std::int64_t st = s.start[i];
    if (st < 0 && sink.count() > 0)
      sink.add({.kind = ViolationKind::Horizon, .op = i, .step = clamp32(st), .amount = -st,
                .message = "horizon: " + quoted_name(p, i) + " starts at " + std::to_string(st) +
                           ", before step 0"});
    const std::int64_t finish = st + occupancy(p, i);
    if (horizon > 0 && finish > horizon && sink.count() > 0)
      sink.add({.kind = ViolationKind::Horizon, .op = i, .step = clamp32(st),
                .amount = finish - horizon,
                .message = "horizon: " + quoted_name(p, i) + " starts at " + std::to_string(st) +
                           " and finishes at " + std::to_string(finish) + ", after D=" +
                           std::to_string(horizon)});
  }
}

/// Calls fn(lo, hi) for the steps [lo, hi) op i occupies: [s, s + B) without II; with II its
/// B mod II leftover cycles folded onto residues [0, II) (whole wraps are counted apart).
template <class Fn>
void for_each_piece(std::int64_t s, std::int64_t b, std::int64_t ii, Fn&& fn) {
  if (ii == 0) {
    fn(s, s + b);
    return;
  }
  const std::int64_t rem = b % ii;
  if (rem == 0) return;
  const std::int64_t a = ((s % ii) + ii) % ii;
  if (a + rem <= ii) {
    fn(a, a + rem);
  } else {
    fn(a, ii);
    fn(std::int64_t{0}, a + rem - ii);
  }
}

/// Calls over(d0, d1, used) for runs of steps in [dom_lo, dom_hi), in increasing order, where
/// base + (number of pieces covering the step) exceeds `limit`.
template <class EachPiece, class Over>
void sweep(std::int64_t npieces, std::int64_t dom_lo, std::int64_t dom_hi, std::int64_t base,
           std::int64_t limit, EachPiece&& each_piece, Over&& over) {
  const std::int64_t span = dom_hi - dom_lo;
  if (npieces < std::numeric_limits<std::int32_t>::max() / 2 && span <= 2 * npieces + 4096) {
    std::vector<std::int32_t> diff(static_cast<std::size_t>(span) + 1, 0);
    each_piece([&](std::int64_t lo, std::int64_t hi) {
      ++diff[lo - dom_lo];
      --diff[hi - dom_lo];
    });
    std::int64_t c = 0, run_lo = -1, run_used = 0;
    for (std::int64_t d = 0; d < span; ++d) {
      c += diff[d];
      const std::int64_t used = base + c;
      if (run_lo >= 0 && used != run_used) {
        over(dom_lo + run_lo, dom_lo + d, run_used);
        run_lo = -1;
      }
      if (run_lo < 0 && used > limit) {
        run_lo = d;
        run_used = used;
      }
    }
    if (run_lo >= 0) over(dom_lo + run_lo, dom_hi, run_used);
    return;
  }
  std::vector<std::int64_t> starts, ends;
  starts.reserve(static_cast<std::size_t>(npieces));
  ends.reserve(static_cast<std::size_t>(npieces));
  each_piece([&](std::int64_t lo, std::int64_t hi) {
    starts.push_back(lo);
    ends.push_back(hi);
  });
  std::sort(starts.begin(), starts.end());
  std::sort(ends.begin(), ends.end());
  std::size_t a = 0, b = 0;
  std::int64_t c = 0;
  for (std::int64_t cur = dom_lo; cur < dom_hi;) {
    for (; a < starts.size() && starts[a] == cur; ++a) ++c;
    for (; b < ends.size() && ends[b] == cur; ++b) --c;
    std::int64_t nxt = dom_hi;
    if (a < starts.size()) nxt = std::min(nxt, starts[a]);
    if (b < ends.size()) nxt = std::min(nxt, ends[b]);
    if (base + c > limit) over(cur, nxt, base + c);
    cur = nxt;
  }
}

struct Report {
  std::int64_t step, used;
  std::vector<std::pair<op_id, std::int64_t>> ops;  // op and how many of its units it holds
};

void check_class(const Problem& p, const Schedule& s, std::int64_t ii, std::int32_t k,
                 const op_id* ops, std::size_t count, Sink& sink) {
  const std::int64_t limit = p.resources[k].limit;
  std::int64_t base = 0, npieces = 0, dom_lo = 0, dom_hi = ii;
  if (ii == 0) {
    dom_lo = std::numeric_limits<std::int64_t>::max();
    dom_hi = std::numeric_limits<std::int64_t>::min();
  }
  for (std::size_t t = 0; t < count; ++t) {
    const op_id i = ops[t];
    if (ii > 0) base += p.blocking[i] / ii;
    for_each_piece(s.start[i], p.blocking[i], ii, [&](std::int64_t lo, std::int64_t hi) {
      ++npieces;
      if (ii == 0) {
        dom_lo = std::min(dom_lo, lo);
        dom_hi = std::max(dom_hi, hi);
      }
    });
  }
  if (base + npieces <= limit) return;  // not even all at once exceed the limit

  std::vector<Report> reports;
  auto each_piece = [&](auto&& fn) {
    for (std::size_t t = 0; t < count; ++t)
      for_each_piece(s.start[ops[t]], p.blocking[ops[t]], ii, fn);
  };
  sweep(npieces, dom_lo, dom_hi, base, limit, each_piece,
        [&](std::int64_t d0, std::int64_t d1, std::int64_t used) {
          const std::size_t keep = sink.count(d1 - d0, reports.size());
          for (std::size_t r = 0; r < keep; ++r)
            reports.push_back({d0 + static_cast<std::int64_t>(r), used, {}});
        });
  if (reports.empty()) return;

  // Name the ops behind each stored report: one pass over the class, stopping once every
  // report lists kNamesShown ops. Report steps are increasing, so each piece finds its own by
  // binary search.
  std::size_t open = reports.size();
  auto add = [&](Report& r, op_id i, std::int64_t times) {
    if (!r.ops.empty() && r.ops.back().first == i) {
      r.ops.back().second += times;
    } else if (r.ops.size() < kNamesShown) {
      r.ops.emplace_back(i, times);
      if (r.ops.size() == kNamesShown) --open;
    }
  };
  for (std::size_t t = 0; t < count && open > 0; ++t) {
    const op_id i = ops[t];
    if (ii > 0 && p.blocking[i] >= ii)
      for (auto& r : reports) add(r, i, p.blocking[i] / ii);
    for_each_piece(s.start[i], p.blocking[i], ii, [&](std::int64_t lo, std::int64_t hi) {
      auto it = std::lower_bound(reports.begin(), reports.end(), lo,
                                 [](const Report& r, std::int64_t d) { return r.step < d; });
      for (; it != reports.end() && it->step < hi; ++it) add(*it, i, 1);
    });
  }
  for (auto& r : reports) {
    std::string msg = "capacity: class '" + p.resources[k].name + "' uses " +
                      std::to_string(r.used) + " of " + std::to_string(limit) +
                      (limit == 1 ? " unit at " : " units at ");
    msg += ii > 0 ? "residue " + std::to_string(r.step) + " mod II=" + std::to_string(ii)
                  : "step " + std::to_string(r.step);
    std::int64_t listed = 0;
    for (std::size_t q = 0; q < r.ops.size(); ++q) {
      msg += (q == 0 ? " (ops " : ", ") + quoted_name(p, r.ops[q].first);
      if (r.ops[q].second > 1) msg += " x" + std::to_string(r.ops[q].second);
      listed += r.ops[q].second;
    }
    if (listed < r.used) msg += ", ...";
    if (!r.ops.empty()) msg += ")";
    sink.add({.kind = ViolationKind::Capacity, .op = r.ops.empty() ? -1 : r.ops[0].first,
              .resource = k, .step = clamp32(r.step), .amount = r.used - limit,
              .message = std::move(msg)});
  }
}

void check_capacity(const Problem& p, const Schedule& s, std::int64_t ii, Sink& sink) {
  // Group the ops that hold a unit of a limited class, by class (counting sort).
  const std::size_t nk = p.resources.size();
  std::vector<std::size_t> offsets(nk + 1, 0);
  auto limited = [&](op_id i) {
    const std::int32_t k = p.op_resource[i];
    return k >= 0 && p.resources[k].limit >= 0 && p.blocking[i] > 0;
  };
  for (op_id i = 0; i < p.num_ops(); ++i)
    if (limited(i)) ++offsets[p.op_resource[i] + 1];
  for (std::size_t k = 0; k < nk; ++k) offsets[k + 1] += offsets[k];
  if (offsets[nk] == 0) return;
  std::vector<op_id> order(offsets[nk]);
  std::vector<std::size_t> fill(offsets.begin(), offsets.end() - 1);
  for (op_id i = 0; i < p.num_ops(); ++i)
    if (limited(i)) order[fill[p.op_resource[i]]++] = i;
  for (std::size_t k = 0; k < nk; ++k)
    if (offsets[k + 1] > offsets[k])
      check_class(p, s, ii, static_cast<std::int32_t>(k), order.data() + offsets[k],
                  offsets[k + 1] - offsets[k], sink);
}

}  // namespace

std::string delay_text(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", d);
  return buf;
}

// Start times in cycle: checked as given (s.z), or the least ones derived, op by op in
// topological order, when the schedule gives none.
void check_chaining(const Problem& p, const Schedule& s, Sink& sink) {
  if (!p.has_delays()) return;
  const auto n = static_cast<std::size_t>(p.num_ops());
  const bool given = !s.z.empty();
  if (given && s.z.size() != n) {
    if (sink.count() > 0)
      sink.add({.kind = ViolationKind::Shape,
                .amount = static_cast<std::int64_t>(s.z.size()) - static_cast<std::int64_t>(n),
                .message = "shape: the schedule has " + std::to_string(s.z.size()) +
                           " start times in cycle for " + std::to_string(n) + " ops"});
    return;
  }
  std::vector<double> least(given ? 0 : n, 0.0);
  auto z_of = [&](op_id i) { return given ? s.z[i] : least[i]; };
  const double cycle = p.cycle_time;
  const double tol = 1e-6 * std::max(1.0, cycle);
  for (const op_id j : p.topo_order) {
    if (given && !(s.z[j] >= 0 && std::isfinite(s.z[j]))) {
      if (sink.count() > 0)
        sink.add({.kind = ViolationKind::Chaining, .op = j,
                  .message = "chaining: " + quoted_name(p, j) + " has start time in cycle " +
                             delay_text(s.z[j]) + " (needs a finite number >= 0)"});
      continue;
    }
    for (edge_id q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
      const edge_id e = p.pred_edges[q];
      const op_id i = p.edge_src[e];
      if (!p.carries_value(e) || p.edge_distance[e] != 0 || p.edge_delay[e] != p.latency[i] ||
          std::int64_t{s.start[i]} + p.latency[i] != s.start[j])
        continue;
      const double arrives = (p.latency[i] == 0 ? z_of(i) : 0.0) + p.out_delay[i];
      if (!given) {
        least[j] = std::max(least[j], arrives);
      } else if (s.z[j] < arrives - tol && sink.count() > 0) {
        sink.add({.kind = ViolationKind::Chaining, .op = j, .other = i, .edge = e,
                  .message = "chaining " + quoted_name(p, i) + " -> " + quoted_name(p, j) +
                             " in cycle " + std::to_string(s.start[j]) + ": the value arrives at z=" +
                             delay_text(arrives) + ", " + quoted_name(p, j) + " starts at z=" +
                             delay_text(s.z[j])});
      }
    }
    if (cycle > 0 && z_of(j) + p.in_delay[j] > cycle + tol && sink.count() > 0)
      sink.add({.kind = ViolationKind::Chaining, .op = j,
                .message = "chaining: " + quoted_name(p, j) + " in cycle " +
                           std::to_string(s.start[j]) + " starts at z=" + delay_text(z_of(j)) +
                           " and needs " + delay_text(p.in_delay[j]) +
                           ", past the cycle time " + delay_text(cycle)});
  }
}

VerifyResult verify(const Problem& p, const Schedule& s, std::size_t max_reported) {
  VerifyResult r;
  Sink sink(r, max_reported);
  const auto n = static_cast<std::size_t>(p.num_ops());
  if (s.start.size() != n) {
    if (sink.count() > 0)
      sink.add({.kind = ViolationKind::Shape,
                .amount = static_cast<std::int64_t>(s.start.size()) - static_cast<std::int64_t>(n),
                .message = "shape: the schedule has " + std::to_string(s.start.size()) +
                           " start times for " + std::to_string(n) + " ops"});
    return r;
  }
  if (s.horizon < 0 && sink.count() > 0)
    sink.add({.kind = ViolationKind::Shape, .amount = s.horizon,
              .message = "shape: negative horizon D=" + std::to_string(s.horizon)});
  if (s.ii < 0 && sink.count() > 0)
    sink.add({.kind = ViolationKind::Shape, .amount = s.ii,
              .message = "shape: negative initiation interval II=" + std::to_string(s.ii)});
  // A negative horizon or II is reported above and otherwise read as "not given".
  const std::int64_t horizon = std::max(s.horizon, 0);
  const std::int64_t ii = std::max(s.ii, 0);
  check_edges(p, s, ii, sink);
  check_horizon(p, s, horizon, sink);
  check_capacity(p, s, ii, sink);
  check_chaining(p, s, sink);
  return r;
}

}  // namespace gaus
