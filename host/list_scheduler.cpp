// Resource-constrained list scheduling with a per-class reservation table.
//
// Ops are taken from a ready heap (all distance-0 predecessors placed) in priority order, and
// each is placed at the earliest step >= its bound with a free unit for all its busy cycles.
// Steps only ever fill up, so each table keeps, for every full step, a pointer to a later step
// with everything in between full (union-find with path compression): a probe jumps over a run
// of full steps at once, and a limit of 1 that serializes 10^6 ops costs O(n alpha(n)), not
// O(n^2).
#include <algorithm>
#include <array>
#include <limits>
#include <memory>
#include <queue>
#include <string>

#include "core/error.hpp"
#include "host/heuristics.hpp"

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

}  // namespace

Schedule list_schedule(const Problem& p, const ListOptions& options) {
  check_release(p, options);
  const op_id n = p.num_ops();
  const std::vector<op_id> order = priority_order(p, options.priority);
  std::vector<op_id> rank(static_cast<std::size_t>(n));
  for (op_id r = 0; r < n; ++r) rank[order[r]] = r;

  std::vector<std::unique_ptr<ReservationTable>> tables(p.resources.size());
  for (std::size_t k = 0; k < p.resources.size(); ++k)
    if (p.resources[k].limit > 0)
      tables[k] = std::make_unique<ReservationTable>(p.resources[k].limit);

  // Unplaced distance-0 predecessors per op, and the bound their placements impose so far.
  std::vector<std::int32_t> waiting(static_cast<std::size_t>(n), 0);
  for (edge_id e = 0; e < p.num_edges(); ++e) waiting[p.edge_dst[e]] += p.edge_distance[e] == 0;
  std::vector<std::int64_t> bound(static_cast<std::size_t>(n), 0);
  if (!options.release.empty())
    for (op_id i = 0; i < n; ++i) bound[i] = std::max(0, options.release[i]);

  // Min-heap of ranks of ready ops.
  std::priority_queue<op_id, std::vector<op_id>, std::greater<>> ready;
  for (op_id i = 0; i < n; ++i)
    if (waiting[i] == 0) ready.push(rank[i]);

  Schedule s;
  s.start.assign(static_cast<std::size_t>(n), 0);
  std::int64_t latency = 0;
  while (!ready.empty()) {
    const op_id i = order[ready.top()];
    ready.pop();
    std::int64_t t = bound[i];
    const std::int32_t k = p.op_resource[i];
    const std::int32_t b = p.blocking[i];
    if (k != kNoResource && b > 0 && p.resources[k].limit >= 0) {
      if (p.resources[k].limit == 0) zero_limit(p, i);
      t = tables[k]->earliest(t, b);
      if (t + b > kMaxStep)
        throw InfeasibleError(where(p.source, 0) + ": list schedule passes 2^31 - 1 steps");
      tables[k]->reserve(t, b);
    }
    const std::int64_t finish = t + std::max(p.latency[i], 1);
    if (finish > kMaxStep)
      throw InfeasibleError(where(p.source, 0) + ": list schedule passes 2^31 - 1 steps");
    latency = std::max(latency, finish);
    s.start[i] = static_cast<std::int32_t>(t);
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e) {
      if (p.edge_distance[e] != 0) continue;
      const op_id j = p.edge_dst[e];
      bound[j] = std::max(bound[j], t + p.edge_delay[e]);
      if (--waiting[j] == 0) ready.push(rank[j]);
    }
  }
  s.horizon = options.horizon > 0 ? options.horizon : static_cast<std::int32_t>(latency);
  s.ii = 0;
  return s;
}

}  // namespace gaus
