// A discrete repair of rcs candidates: serial schedule generation forwards (list scheduling) and
// backwards over per-class busy profiles, double justification, and an iterated perturbed list
// scheduling around a legal schedule. The descent's legalized candidate gives the search its
// start and its order; the search only reorders, so what it reports is a list schedule of some
// priority order, and solve_rcs verifies it before offering it.
#include "host/improve/rcs_repair.hpp"

#include <algorithm>
#include <limits>
#include <random>

#include "core/timing.hpp"

namespace gaus::detail {

namespace {

/// Min-heap order on (key, topological rank).
struct After {
  bool operator()(const std::pair<double, std::int32_t>& a,
                  const std::pair<double, std::int32_t>& b) const {
    return a > b;
  }
};

}  // namespace

RcsRepair::RcsRepair(const Problem& p) : p_(p) {
  const op_id n = p.num_ops();
  const auto un = static_cast<std::size_t>(n);
  occ_.resize(un);
  busy_.resize(un);
  cls_.assign(un, -1);
  rank_.resize(un);
  for (op_id r = 0; r < n; ++r) rank_[p.topo_order[r]] = r;
  bool limited = false;
  for (op_id i = 0; i < n; ++i) {
    occ_[i] = occupancy(p, i);
    busy_[i] = p.blocking[i];
    const std::int32_t k = p.op_resource[i];
    if (k == kNoResource || p.blocking[i] <= 0 || p.resources[k].limit < 0) continue;
    if (p.resources[k].limit == 0) usable_ = false;
    cls_[i] = k;
    limited = true;
  }
  usable_ = usable_ && limited;
  for (const Resource& r : p.resources) limit_.push_back(r.limit);
  profile_.resize(p.resources.size());
  // Distance-0 arcs only (the rcs schedule has no II), as CSR rows both ways.
  succ_begin_.assign(un + 1, 0);
  pred_begin_.assign(un + 1, 0);
  for (op_id i = 0; i < n; ++i)
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0) {
        ++succ_begin_[i + 1];
        ++pred_begin_[p.edge_dst[e] + 1];
      }
  for (std::size_t i = 0; i < un; ++i) {
    succ_begin_[i + 1] += succ_begin_[i];
    pred_begin_[i + 1] += pred_begin_[i];
  }
  succ_dst_.resize(static_cast<std::size_t>(succ_begin_[un]));
  succ_delay_.resize(succ_dst_.size());
  pred_src_.resize(succ_dst_.size());
  pred_delay_.resize(succ_dst_.size());
  std::vector<std::int32_t> fill_s(succ_begin_.begin(), succ_begin_.end() - 1);
  std::vector<std::int32_t> fill_p(pred_begin_.begin(), pred_begin_.end() - 1);
  for (op_id i = 0; i < n; ++i)
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e) {
      if (p.edge_distance[e] != 0) continue;
      const op_id j = p.edge_dst[e];
      const std::int32_t d = p.edge_delay[e];
      succ_dst_[fill_s[i]] = j;
      succ_delay_[fill_s[i]++] = d;
      pred_src_[fill_p[j]] = i;
      pred_delay_[fill_p[j]++] = d;
    }
  waiting_.resize(un);
  bound_.resize(un);
  key_.resize(un);
}

void RcsRepair::clear_profiles() {
  for (auto& pr : profile_) std::fill(pr.begin(), pr.end(), 0);
}

std::int32_t RcsRepair::place(std::int32_t k, std::int32_t from, std::int32_t len) {
  std::vector<std::int32_t>& pr = profile_[k];
  const std::int32_t limit = limit_[k];
  std::int32_t t = std::max(from, 0);
  for (;;) {
    if (pr.size() < static_cast<std::size_t>(t + len)) pr.resize(2 * (t + len), 0);
    // From the far end: a full step at t + u rules out every start up to t + u.
    std::int32_t u = len - 1;
    while (u >= 0 && pr[t + u] < limit) --u;
    if (u < 0) break;
    t += u + 1;
  }
  for (std::int32_t u = 0; u < len; ++u) ++pr[t + u];
  return t;
}

std::int32_t RcsRepair::latency(const std::vector<std::int32_t>& start) const {
  std::int32_t lat = 0;
  for (std::size_t i = 0; i < start.size(); ++i) lat = std::max(lat, start[i] + occ_[i]);
  return lat;
}

std::int32_t RcsRepair::tail(const std::vector<std::int32_t>& start, std::int32_t lat) const {
  std::int32_t c = 0;
  for (std::size_t i = 0; i < start.size(); ++i) c += start[i] + occ_[i] == lat;
  return c;
}

std::int32_t RcsRepair::forward(std::span<const double> key, std::vector<std::int32_t>& start) {
  const op_id n = p_.num_ops();
  start.assign(static_cast<std::size_t>(n), 0);
  clear_profiles();
  heap_.clear();
  for (op_id i = 0; i < n; ++i) {
    waiting_[i] = pred_begin_[i + 1] - pred_begin_[i];
    bound_[i] = 0;
    if (waiting_[i] == 0) heap_.emplace_back(key[i], rank_[i]);
  }
  std::make_heap(heap_.begin(), heap_.end(), After());
  std::int32_t lat = 0;
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), After());
    const op_id i = p_.topo_order[heap_.back().second];
    heap_.pop_back();
    const std::int32_t t = cls_[i] >= 0 ? place(cls_[i], bound_[i], busy_[i]) : bound_[i];
    start[i] = t;
    lat = std::max(lat, t + occ_[i]);
    for (std::int32_t a = succ_begin_[i]; a < succ_begin_[i + 1]; ++a) {
      const op_id j = succ_dst_[a];
      bound_[j] = std::max(bound_[j], t + succ_delay_[a]);
      if (--waiting_[j] == 0) {
        heap_.emplace_back(key[j], rank_[j]);
        std::push_heap(heap_.begin(), heap_.end(), After());
      }
    }
  }
  return lat;
}

std::int32_t RcsRepair::backward(std::span<const double> key, std::int32_t horizon,
                                 std::vector<std::int32_t>& start) {
  const op_id n = p_.num_ops();
  start.assign(static_cast<std::size_t>(n), 0);
  clear_profiles();
  heap_.clear();
  // Profiles run backwards in time: step t is index base - 1 - t, so an op's busy cycles
  // [t, t + B) are the indices [base - t - B, base - t); base leaves room for B_i > L_i.
  std::int32_t base = horizon;
  for (op_id i = 0; i < n; ++i) base = std::max(base, horizon + busy_[i] - occ_[i]);
  for (op_id i = 0; i < n; ++i) {
    waiting_[i] = succ_begin_[i + 1] - succ_begin_[i];
    bound_[i] = horizon - occ_[i];  // the latest start
    if (waiting_[i] == 0) heap_.emplace_back(key[i], n - 1 - rank_[i]);
  }
  std::make_heap(heap_.begin(), heap_.end(), After());
  std::int32_t least = std::numeric_limits<std::int32_t>::max();
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), After());
    const op_id i = p_.topo_order[n - 1 - heap_.back().second];
    heap_.pop_back();
    std::int32_t t = bound_[i];
    if (cls_[i] >= 0) t = base - busy_[i] - place(cls_[i], base - t - busy_[i], busy_[i]);
    start[i] = t;
    least = std::min(least, t);
    for (std::int32_t a = pred_begin_[i]; a < pred_begin_[i + 1]; ++a) {
      const op_id j = pred_src_[a];
      bound_[j] = std::min(bound_[j], t - pred_delay_[a]);
      if (--waiting_[j] == 0) {
        heap_.emplace_back(key[j], n - 1 - rank_[j]);
        std::push_heap(heap_.begin(), heap_.end(), After());
      }
    }
  }
  return n == 0 ? 0 : least;
}

std::int32_t RcsRepair::justify(std::vector<std::int32_t>& start) {
  const auto n = static_cast<std::size_t>(p_.num_ops());
  std::int32_t lat = latency(start);
  if (!usable_) return lat;
  std::vector<std::int32_t> right, left;
  // Each round never lengthens the schedule (the backward pass in order of decreasing finish
  // keeps every op at or after its start, the forward pass in order of those starts keeps
  // every op at or before them), so a few rounds reach a fixed point.
  for (int round = 0; round < 8; ++round) {
    for (std::size_t i = 0; i < n; ++i) key_[i] = -static_cast<double>(start[i] + occ_[i]);
    const std::int32_t least = backward(key_, lat, right);
    for (std::size_t i = 0; i < n; ++i) key_[i] = right[i] - least;
    const std::int32_t got = forward(key_, left);
    if (got > lat) break;  // not expected (see above); keep what is known to be legal
    start.swap(left);
    if (got == lat) break;
    lat = got;
  }
  return lat;
}

std::int32_t RcsRepair::search(std::vector<std::int32_t>& start, std::int32_t target,
                               std::uint64_t seed, std::int64_t moves, double noise,
                               const std::function<bool()>& stop) {
  const auto n = static_cast<std::size_t>(p_.num_ops());
  std::int32_t best_lat = justify(start);
  if (!usable_ || best_lat <= target) return best_lat;
  std::vector<std::int32_t> cur = start, cand;
  std::int32_t cur_lat = best_lat, cur_tail = tail(cur, cur_lat);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> jitter(0.0, noise);
  for (std::int64_t m = 0; m < moves; ++m) {
    if (m % 16 == 0 && stop && stop()) break;
    ++moves_made_;
    for (std::size_t i = 0; i < n; ++i) key_[i] = cur[i] + jitter(rng);
    forward(key_, cand);
    const std::int32_t lat = justify(cand);
    const std::int32_t tl = tail(cand, lat);
    if (lat > cur_lat || (lat == cur_lat && tl > cur_tail)) continue;
    cur.swap(cand);
    cur_lat = lat;
    cur_tail = tl;
    if (cur_lat < best_lat) {
      best_lat = cur_lat;
      start = cur;
      if (best_lat <= target) break;
    }
  }
  return best_lat;
}

}  // namespace gaus::detail
