// Exact objectives of a discrete schedule. Every per-step quantity is a maximum over steps (or
// residues) of a sum of weighted step intervals, computed by one helper: a difference array over
// the covered span when it is dense, a sort of the interval ends when it is not.
#include "host/verify/objectives.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <type_traits>
#include <utility>

#include "core/error.hpp"
#include "core/timing.hpp"

namespace gaus {

namespace {

void check_shape(const Problem& p, const Schedule& s) {
  if (s.start.size() != static_cast<std::size_t>(p.num_ops()))
    throw InputError("schedule has " + std::to_string(s.start.size()) + " start times for " +
                     std::to_string(p.num_ops()) + " ops");
}

void check_positive_ii(std::int32_t ii) {
  if (ii < 1) throw InputError("initiation interval must be >= 1, got " + std::to_string(ii));
}

/// A running sum: Neumaier-compensated for doubles, so long prefix sums of +w / -w stay exact to
/// rounding; plain for integers.
template <class T>
struct Sum {
  T s{}, c{};
  void add(T x) {
    if constexpr (std::is_floating_point_v<T>) {
      const T t = s + x;
      c += std::abs(s) >= std::abs(x) ? (s - t) + x : (x - t) + s;
      s = t;
    } else {
      s += x;
    }
  }
  [[nodiscard]] T value() const { return s + c; }
};

/// max over steps d of the sum of w over the intervals [lo, hi) that contain d, or over
/// residues d mod ii when ii > 0 (an interval longer than ii wraps and counts once per wrap);
/// 0 when nothing is covered. each(emit) calls emit(lo, hi, w) once per interval, w >= 0.
template <class T, class Each>
T interval_peak(std::int64_t ii, Each&& each) {
  // Pieces: the intervals, or their leftover after whole wraps folded onto [0, ii).
  auto each_piece = [&](auto&& fn) {
    each([&](std::int64_t lo, std::int64_t hi, T w) {
      if (hi <= lo || w == T{}) return;
      if (ii == 0) {
        fn(lo, hi, w);
        return;
      }
      const std::int64_t rem = (hi - lo) % ii;
      if (rem == 0) return;
      const std::int64_t a = ((lo % ii) + ii) % ii;
      if (a + rem <= ii) {
        fn(a, a + rem, w);
      } else {
        fn(a, ii, w);
        fn(std::int64_t{0}, a + rem - ii, w);
      }
    });
  };
  Sum<T> base;
  std::int64_t npieces = 0;
  std::int64_t dom_lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t dom_hi = std::numeric_limits<std::int64_t>::min();
  if (ii > 0)
    each([&](std::int64_t lo, std::int64_t hi, T w) {
      if (hi > lo) base.add(w * static_cast<T>((hi - lo) / ii));
    });
  each_piece([&](std::int64_t lo, std::int64_t hi, T) {
    ++npieces;
    dom_lo = std::min(dom_lo, lo);
    dom_hi = std::max(dom_hi, hi);
  });
  T peak{};
  if (npieces == 0) return base.value();
  const std::int64_t span = dom_hi - dom_lo;
  if (span <= 2 * npieces + 4096) {
    std::vector<T> diff(static_cast<std::size_t>(span) + 1, T{});
    each_piece([&](std::int64_t lo, std::int64_t hi, T w) {
      diff[lo - dom_lo] += w;
      diff[hi - dom_lo] -= w;
    });
    Sum<T> run;
    for (std::int64_t d = 0; d < span; ++d) {
      run.add(diff[d]);
      peak = std::max(peak, run.value());
    }
  } else {
    std::vector<std::pair<std::int64_t, T>> events;
    events.reserve(2 * static_cast<std::size_t>(npieces));
    each_piece([&](std::int64_t lo, std::int64_t hi, T w) {
      events.emplace_back(lo, w);
      events.emplace_back(hi, -w);
    });
    std::sort(events.begin(), events.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    Sum<T> run;
    for (std::size_t k = 0; k < events.size();) {
      const std::int64_t pos = events[k].first;
      for (; k < events.size() && events[k].first == pos; ++k) run.add(events[k].second);
      peak = std::max(peak, run.value());
    }
  }
  return base.value() + peak;
}

double peak_use_impl(const Problem& p, const Schedule& s, std::int64_t ii) {
  return interval_peak<double>(ii, [&](auto&& emit) {
    for (op_id i = 0; i < p.num_ops(); ++i)
      emit(std::int64_t{s.start[i]}, std::int64_t{s.start[i]} + 1, p.weight[i]);
  });
}

double peak_memory_impl(const Problem& p, const Schedule& s, std::int64_t ii) {
  // Each value's last use, found once: interval_peak walks the intervals two or three times.
  // (No consumer: the least int32, which makes the interval empty as any last <= s_i does.)
  std::vector<std::int32_t> last(static_cast<std::size_t>(p.num_ops()));
  for (op_id i = 0; i < p.num_ops(); ++i) {
    std::int32_t l = std::numeric_limits<std::int32_t>::min();
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0) l = std::max(l, s.start[p.edge_dst[e]]);
    last[i] = l;
  }
  return interval_peak<double>(ii, [&](auto&& emit) {
    for (op_id i = 0; i < p.num_ops(); ++i)
      emit(std::int64_t{s.start[i]}, std::int64_t{last[i]}, p.out_size[i]);  // empty: last <= s_i
  });
}

std::pair<double, std::int64_t> communication_impl(const Problem& p, const Schedule& s) {
  Sum<double> total;
  std::int64_t binary = 0;
  for (edge_id e = 0; e < p.num_edges(); ++e) {
    if (p.edge_distance[e] != 0) continue;
    const std::int64_t gap =
        std::int64_t{s.start[p.edge_dst[e]]} - std::int64_t{s.start[p.edge_src[e]]};
    if (gap <= 0 || p.edge_weight[e] <= 0) continue;
    total.add(p.edge_weight[e] * static_cast<double>(gap));
    binary += gap;
  }
  return {total.value(), binary};
}

}  // namespace

double peak_use(const Problem& p, const Schedule& s) {
  check_shape(p, s);
  return peak_use_impl(p, s, 0);
}

double peak_use_modulo(const Problem& p, const Schedule& s, std::int32_t ii) {
  check_shape(p, s);
  check_positive_ii(ii);
  return peak_use_impl(p, s, ii);
}

double communication(const Problem& p, const Schedule& s) {
  check_shape(p, s);
  return communication_impl(p, s).first;
}

std::int64_t communication_binary(const Problem& p, const Schedule& s) {
  check_shape(p, s);
  return communication_impl(p, s).second;
}

double formulation_a_score(const Problem& p, const Schedule& s) {
  return 100.0 * peak_use(p, s) + static_cast<double>(communication_binary(p, s));
}

double peak_memory(const Problem& p, const Schedule& s) {
  check_shape(p, s);
  return peak_memory_impl(p, s, 0);
}

double peak_memory_modulo(const Problem& p, const Schedule& s, std::int32_t ii) {
  check_shape(p, s);
  check_positive_ii(ii);
  return peak_memory_impl(p, s, ii);
}

std::vector<std::int64_t> class_peak_use(const Problem& p, const Schedule& s, std::int32_t ii) {
  check_shape(p, s);
  if (ii < 0) check_positive_ii(ii);
  // Group the ops that hold a unit by class (counting sort), then one peak per class.
  const std::size_t nk = p.resources.size();
  std::vector<std::size_t> offsets(nk + 1, 0);
  for (op_id i = 0; i < p.num_ops(); ++i)
    if (p.op_resource[i] >= 0 && p.blocking[i] > 0) ++offsets[p.op_resource[i] + 1];
  for (std::size_t k = 0; k < nk; ++k) offsets[k + 1] += offsets[k];
  std::vector<op_id> order(offsets[nk]);
  std::vector<std::size_t> fill(offsets.begin(), offsets.end() - 1);
  for (op_id i = 0; i < p.num_ops(); ++i)
    if (p.op_resource[i] >= 0 && p.blocking[i] > 0) order[fill[p.op_resource[i]]++] = i;
  std::vector<std::int64_t> peaks(nk, 0);
  for (std::size_t k = 0; k < nk; ++k)
    peaks[k] = interval_peak<std::int64_t>(ii, [&](auto&& emit) {
      for (std::size_t t = offsets[k]; t < offsets[k + 1]; ++t) {
        const std::int64_t st = s.start[order[t]];
        emit(st, st + p.blocking[order[t]], std::int64_t{1});
      }
    });
  return peaks;
}

Objectives evaluate(const Problem& p, const Schedule& s) {
  check_shape(p, s);
  Objectives o;
  for (op_id i = 0; i < p.num_ops(); ++i)
    o.latency = std::max<std::int64_t>(o.latency, std::int64_t{s.start[i]} + occupancy(p, i));
  o.peak_use = peak_use_impl(p, s, 0);
  std::tie(o.communication, o.communication_binary) = communication_impl(p, s);
  o.formulation_a = 100.0 * o.peak_use + static_cast<double>(o.communication_binary);
  o.peak_memory = peak_memory_impl(p, s, 0);
  const std::int32_t ii = std::max(s.ii, 0);
  o.ii = ii;
  if (ii > 0) {
    o.peak_use_modulo = peak_use_impl(p, s, ii);
    o.peak_memory_modulo = peak_memory_impl(p, s, ii);
  }
  const auto peaks = class_peak_use(p, s, ii);
  for (std::size_t k = 0; k < peaks.size(); ++k)
    o.class_peaks.push_back({p.resources[k].name, p.resources[k].limit, peaks[k]});
  return o;
}

nlohmann::json to_json(const Objectives& o) {
  nlohmann::json j;
  j["latency"] = o.latency;
  j["peak_use"] = o.peak_use;
  j["communication"] = o.communication;
  j["communication_binary"] = o.communication_binary;
  j["formulation_a"] = o.formulation_a;
  j["peak_memory"] = o.peak_memory;
  if (o.ii > 0) {
    j["ii"] = o.ii;
    j["peak_use_modulo"] = o.peak_use_modulo;
    j["peak_memory_modulo"] = o.peak_memory_modulo;
  }
  nlohmann::json classes = nlohmann::json::object();
  for (const auto& c : o.class_peaks) classes[c.name] = {{"limit", c.limit}, {"peak", c.peak}};
  j["class_peaks"] = classes;
  return j;
}

}  // namespace gaus
