// Resource-constrained list scheduling with a per-class reservation table.
//
// Ops are taken from a ready set (all distance-0 predecessors placed) in priority order, and
// each is placed at the earliest step >= its bound with a free unit for all its busy cycles.
// Steps only ever fill up, so each table keeps, for every full step, a pointer to a later step
// with everything in between full (union-find with path compression): a probe jumps over a run
// of full steps at once, and a limit of 1 that serializes 10^6 ops costs O(n alpha(n)), not
// O(n^2).
//
// The solver calls this every E steps, so the per-call cost is kept linear: the priority order
// is a radix sort (list_order.cpp), the ready set a 64-ary bitset tree over ranks, the loop
// reads one packed record per op, and when no op holds a limited unit the order cannot matter
// (each op starts at its release or dependency bound): one sweep in topological order gives
// the same schedule.
#include <algorithm>
#include <array>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/heuristics/list_workspace.hpp"

namespace gaus {

namespace {

constexpr std::int64_t kMaxStep = std::numeric_limits<std::int32_t>::max();

/// Busy counts of one limited unit class over time, in lazily allocated pages so a far-off op
/// (a huge delay or release) costs one page, not a table up to its step.
class ReservationTable {
 public:
  explicit ReservationTable(std::int32_t limit) : limit_(limit) {}

  /// Earliest t >= from with a free unit at every step of [t, t + len). Requires limit >= 1.
  std::int64_t earliest(std::int64_t from, std::int32_t len) {
    std::int64_t t = next_free(from);
    for (;;) {
      // Check from the far end: a full step at t + u rules out every start up to t + u.
      std::int32_t u = len - 1;
      while (u > 0 && !full(t + u)) --u;
      if (u == 0) return t;
      t = next_free(t + u + 1);
    }
  }

  void reserve(std::int64_t t, std::int32_t len) {
    for (std::int64_t d = t; d < t + len; ++d) {
      Page& pg = page(d);
      const auto o = static_cast<std::size_t>(d & kPageMask);
      if (++pg.busy[o] == limit_) pg.next[o] = d + 1;
    }
  }

 private:
  static constexpr int kPageBits = 12;
  static constexpr std::int64_t kPageMask = (std::int64_t{1} << kPageBits) - 1;
  struct Page {
    std::array<std::int32_t, std::size_t{1} << kPageBits> busy{};
    std::array<std::int64_t, std::size_t{1} << kPageBits> next{};  // valid where busy == limit
  };

  Page* find_page(std::int64_t d) const {
    const auto k = static_cast<std::size_t>(d >> kPageBits);
    return k < pages_.size() ? pages_[k].get() : nullptr;
  }
  Page& page(std::int64_t d) {
    const auto k = static_cast<std::size_t>(d >> kPageBits);
    if (k >= pages_.size()) pages_.resize(std::max(k + 1, pages_.size() * 2));
    if (!pages_[k]) pages_[k] = std::make_unique<Page>();
    return *pages_[k];
  }
  bool full(std::int64_t d) const {
    const Page* pg = find_page(d);
    return pg != nullptr && pg->busy[static_cast<std::size_t>(d & kPageMask)] >= limit_;
  }
  std::int64_t& next(std::int64_t d) {
    return find_page(d)->next[static_cast<std::size_t>(d & kPageMask)];
  }
  /// First step >= d that is not full; compresses the path it walked.
  std::int64_t next_free(std::int64_t d) {
    std::int64_t r = d;
    while (full(r)) r = next(r);
    while (d != r && full(d)) {
      std::int64_t& nd = next(d);
      const std::int64_t after = nd;
      nd = r;
      d = after;
    }
    return r;
  }

  std::int32_t limit_;
  std::vector<std::unique_ptr<Page>> pages_;
};

void check_release(const Problem& p, const ListOptions& o) {
  if (!o.release.empty() && o.release.size() != static_cast<std::size_t>(p.num_ops()))
    throw InputError("list scheduling: release has " + std::to_string(o.release.size()) +
                     " entries for " + std::to_string(p.num_ops()) + " ops");
  if (o.horizon < 0)
    throw InputError("list scheduling: negative horizon " + std::to_string(o.horizon));
}

[[noreturn]] void zero_limit(const Problem& p, op_id i) {
  throw InfeasibleError(where(p.source, 0) + ": op '" + std::string(p.name(i)) +
                        "' needs a unit of class '" + p.resources[p.op_resource[i]].name +
                        "', whose limit is 0");
}

using list_detail::Node;
using list_detail::OpInfo;
using State = ListWorkspace::State;

/// Whether op i holds a unit of a limited class (the only ops whose start the order affects).
bool holds_limited_unit(const Problem& p, op_id i) {
  const std::int32_t k = p.op_resource[i];
  return k != kNoResource && p.blocking[i] > 0 && p.resources[k].limit >= 0;
}

[[noreturn]] void too_long(const Problem& p) {
  throw InfeasibleError(where(p.source, 0) + ": list schedule passes 2^31 - 1 steps");
}

/// No op holds a limited unit: each starts at max(release, its predecessors' bounds) whatever
/// the order, so any topological order gives the list schedule. The op indices are used when
/// they are one (a successor with a smaller index shows they are not; the sweep then starts
/// over along p.topo_order). Returns the latency.
std::int64_t sweep(const Problem& p, const ListOptions& options, State& st, Schedule& s) {
  const op_id n = p.num_ops();
  std::vector<std::int64_t>& bound = st.bound;
  std::int64_t latency = 0;
  auto place = [&](op_id i, auto&& on_succ) {
    const std::int64_t t = bound[i];
    const std::int64_t finish = t + std::max(p.latency[i], 1);
    if (finish > kMaxStep) too_long(p);
    latency = std::max(latency, finish);
    s.start[i] = static_cast<std::int32_t>(t);
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e) {
      if (p.edge_distance[e] != 0) continue;
      const op_id j = p.edge_dst[e];
      bound[j] = std::max(bound[j], t + p.edge_delay[e]);
      on_succ(j);
    }
  };
  auto reset = [&] {
    bound.assign(static_cast<std::size_t>(n), 0);
    if (!options.release.empty())
      for (op_id i = 0; i < n; ++i) bound[i] = std::max(0, options.release[i]);
    latency = 0;
  };
  reset();
  bool by_index = true;
  for (op_id i = 0; i < n && by_index; ++i)
    place(i, [&](op_id j) { by_index = by_index && j > i; });
  if (!by_index) {
    reset();
    for (op_id i : p.topo_order) place(i, [](op_id) {});
  }
  return latency;
}

/// The list-scheduling loop proper: the ready op of least rank goes to the earliest step at or
/// after its bound where its class has a free unit for its B_i cycles. Returns the latency.
std::int64_t place_ordered(const Problem& p, const ListOptions& options, State& st,
                           Schedule& s) {
  list_detail::make_order(p, options.priority, st);
  const op_id n = p.num_ops();
  std::vector<std::unique_ptr<ReservationTable>> tables(p.resources.size());
  for (std::size_t k = 0; k < p.resources.size(); ++k)
    if (p.resources[k].limit > 0)
      tables[k] = std::make_unique<ReservationTable>(p.resources[k].limit);
  st.nodes.resize(static_cast<std::size_t>(n));
  st.info.resize(static_cast<std::size_t>(n));
  st.ready.reset(static_cast<std::size_t>(n));
  for (op_id i = 0; i < n; ++i) {
    Node& nd = st.nodes[i];
    nd.bound = options.release.empty() ? 0 : std::max(0, options.release[i]);
    nd.waiting = st.indegree[i];
    nd.rank = st.rank[i];
    st.info[i] = {std::max(p.latency[i], 1), p.blocking[i],
                  holds_limited_unit(p, i) ? p.op_resource[i] : -1, 0};
    if (nd.waiting == 0) st.ready.insert(static_cast<std::size_t>(nd.rank));
  }
  std::int64_t latency = 0;
  while (!st.ready.empty()) {
    const op_id i = st.order[st.ready.pop_min()];
    OpInfo& in = st.info[i];
    std::int64_t t = st.nodes[i].bound;
    if (in.cls >= 0) {
      if (p.resources[in.cls].limit == 0) zero_limit(p, i);
      ReservationTable& table = *tables[in.cls];
      t = table.earliest(t, in.blocking);
      if (t + in.blocking > kMaxStep) too_long(p);
      table.reserve(t, in.blocking);
    }
    const std::int64_t finish = t + in.occ;
    if (finish > kMaxStep) too_long(p);
    latency = std::max(latency, finish);
    in.start = static_cast<std::int32_t>(t);
    for (edge_id a = st.arc_begin[i]; a < st.arc_begin[i + 1]; ++a) {
      Node& nj = st.nodes[st.arcs[a].dst];
      nj.bound = std::max(nj.bound, t + st.arcs[a].delay);
      if (--nj.waiting == 0) st.ready.insert(static_cast<std::size_t>(nj.rank));
    }
  }
  for (op_id i = 0; i < n; ++i) s.start[i] = st.info[i].start;
  return latency;
}

}  // namespace

Schedule list_schedule(const Problem& p, const ListOptions& options) {
  ListWorkspace ws;
  return list_schedule(p, options, ws);
}

Schedule list_schedule(const Problem& p, const ListOptions& options, ListWorkspace& workspace) {
  check_release(p, options);
  list_detail::check_priority(p, options.priority);
  State& st = workspace.state();
  const op_id n = p.num_ops();
  bool ordered = false;
  for (op_id i = 0; i < n && !ordered; ++i) ordered = holds_limited_unit(p, i);
  Schedule s;
  s.start.assign(static_cast<std::size_t>(n), 0);
  const std::int64_t latency =
      ordered ? place_ordered(p, options, st, s) : sweep(p, options, st, s);
  s.horizon = options.horizon > 0 ? options.horizon : static_cast<std::int32_t>(latency);
  s.ii = 0;
  return s;
}

}  // namespace gaus
