// find_min_ii_schedule (heuristics.hpp): the smallest II that iterative modulo scheduling
// reaches with several priorities (modulo_search.hpp), in two passes:
//   1. II = MII, MII + 1, ... (from the bound of unit conflicts on recurrences,
//      host/bounds/ii_bound.hpp, where it is higher): at each II the first priority (the caller's, else alap) with
//      Rau's budget, then the others, until one schedules; this pass alone is single-priority
//      IMS when the work cap is spent, so the result is never worse than it.
//   2. Below the II found, downward from it (where a schedule is most likely): every priority
//      with 8 times the budget, while each II succeeds and the work cap lasts.
// Everything is counted in placements, never in seconds: the result is deterministic.
#include <algorithm>
#include <functional>
#include <string>

#include "core/error.hpp"
#include "graphs/analysis.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/bounds/ii_bound.hpp"
#include "host/heuristics/modulo_search.hpp"

namespace gaus {

namespace {

constexpr std::int64_t kMaxStep = 2147483647;

/// The II at which the (non-modulo) list schedule is a legal modulo schedule: every busy cycle
/// on its own residue, and every loop-carried edge met.
std::int64_t fallback_ii(const Problem& p, const Schedule& s) {
  std::int64_t ii = std::max(1, s.horizon);
  for (op_id i = 0; i < p.num_ops(); ++i)
    ii = std::max<std::int64_t>(ii, std::int64_t{s.start[i]} + p.blocking[i]);
  for (edge_id e = 0; e < p.num_edges(); ++e) {
    const std::int64_t delta = p.edge_distance[e];
    if (delta == 0) continue;
    const std::int64_t need =
        std::int64_t{s.start[p.edge_src[e]]} + p.edge_delay[e] - s.start[p.edge_dst[e]];
    if (need > 0) ii = std::max(ii, (need + delta - 1) / delta);
  }
  return ii;
}

/// One II tried with each priority in turn, at `ratio` times the graph's size in placements
/// each: the caller's priority first when it gave one, then every kModuloPriorities entry.
/// With `first_uncapped` the first attempt runs whatever `work` is left (and is not charged);
/// every other attempt runs only while `work` > 0 and is charged to it.
std::optional<Schedule> try_ii(const Problem& p, std::int32_t ii, const ListOptions& options,
                               std::int32_t ratio, bool first_uncapped, std::int64_t& work,
                               const std::function<bool()>& stop) {
  ListOptions o = options;
  o.budget_ratio = ratio;
  const bool own = !options.priority.empty();
  const std::size_t count = std::size(kModuloPriorities) + (own ? 1 : 0);
  for (std::size_t k = 0; k < count; ++k) {
    const bool charged = !(k == 0 && first_uncapped);
    if (charged && (work <= 0 || (stop && stop()))) break;
    if (k > 0 || !own) o.priority = modulo_priority(p, kModuloPriorities[own ? k - 1 : k], ii);
    std::int64_t spent = 0;
    std::optional<Schedule> s = modulo_list_schedule_counted(p, ii, o, spent);
    if (charged) work -= spent;
    if (s) return s;
  }
  return std::nullopt;
}

}  // namespace

std::int64_t modulo_search_work(const Problem& p) {
  return std::clamp<std::int64_t>(std::int64_t{2000} * p.num_ops(), 1000000, 20000000);
}

ModuloResult find_min_ii_schedule(const Problem& p, const ListOptions& options,
                                  std::int32_t max_ii) {
  return find_min_ii_schedule(p, options, max_ii, ModuloSearchLimits{});
}

ModuloResult find_min_ii_schedule(const Problem& p, const ListOptions& options,
                                  std::int32_t max_ii, const ModuloSearchLimits& limits) {
  if (max_ii < 0)
    throw InputError("modulo scheduling: negative maximum II " + std::to_string(max_ii));
  if (!options.release.empty() && options.release.size() != static_cast<std::size_t>(p.num_ops()))
    throw InputError("modulo scheduling: release has " + std::to_string(options.release.size()) +
                     " entries for " + std::to_string(p.num_ops()) + " ops");
  ListOptions list_options = options;
  list_options.horizon = 0;
  Schedule fallback = list_schedule(p, list_options);
  const std::int64_t fb_ii = fallback_ii(p, fallback);
  if (fb_ii > kMaxStep)
    throw InfeasibleError(where(p.source, 0) + ": modulo schedule needs an II past 2^31 - 1");

  ModuloResult r;
  r.rec_mii = compute_rec_mii(p);
  r.res_mii = compute_res_mii(p);
  r.mii = std::max({r.rec_mii, r.res_mii, 1});
  r.max_ii = max_ii > 0 ? max_ii : static_cast<std::int32_t>(fb_ii);
  const std::int64_t last = std::min<std::int64_t>(r.max_ii, fb_ii);
  const std::int32_t ratio = std::max(options.budget_ratio, 1);
  std::int64_t work = limits.work >= 0 ? limits.work : modulo_search_work(p);
  // IIs below the bound of unit conflicts on recurrences have no schedule: not tried.
  r.first_ii = p.num_loop_carried() > 0 ? ii_conflict_bound(p, r.mii) : r.mii;
  const std::int32_t start = r.first_ii;
  std::optional<Schedule> found;
  std::int64_t ii = start;
  for (; ii <= last && !found; ++ii) {
    ++r.attempts;
    found = try_ii(p, static_cast<std::int32_t>(ii), options, ratio, true, work, limits.stop);
  }
  if (found) {
    // Pass 2: below the II found, every priority with a larger budget, downward.
    const std::int32_t big = ratio > 1 << 27 ? ratio : 8 * ratio;
    for (std::int64_t lower = found->ii - 1; lower >= start && work > 0; --lower) {
      ++r.attempts;
      std::optional<Schedule> s =
          try_ii(p, static_cast<std::int32_t>(lower), options, big, false, work, limits.stop);
      if (!s) break;
      found = std::move(s);
    }
    r.schedule = std::move(*found);
    return r;
  }
  if (r.max_ii >= fb_ii) {
    r.schedule = std::move(fallback);
    r.schedule.ii = static_cast<std::int32_t>(fb_ii);
    r.schedule.horizon = schedule_latency(p, r.schedule);
    r.fallback = true;
    return r;
  }
  throw InfeasibleError(where(p.source, 0) + ": no modulo schedule found with II in [" +
                        std::to_string(r.mii) + ", " + std::to_string(r.max_ii) + "]");
}

}  // namespace gaus
