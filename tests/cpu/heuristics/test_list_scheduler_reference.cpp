// The fast legalization path (radix-sorted list scheduling with a workspace, the sweep without
// limited units, improve_memory's shared passes, peak_memory's single last-use pass) against
// straightforward reference implementations kept here: the same schedules, the same verdicts
// and the same objectives, bit for bit, on seeded random graphs (op indices in and out of
// topological order, limited, unlimited and non-pipelined classes, ties and -0 in the
// priorities) and on small real graphs.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <numeric>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "graphs/builder.hpp"
#include "graphs/formats.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/verify/objectives.hpp"
#include "host/solver/solver_detail.hpp"
#include "tests/cpu/heuristics/list_scheduler_reference.hpp"

using namespace gaus;

namespace {

/// A random DAG of n ops whose indices follow a random permutation of a topological order when
/// `shuffled`; classes "lim" (1..3 units), "wide" (unlimited), "slow" (2 units, non-pipelined),
/// and ops without a class; latencies 0..3, integer output sizes 0..3 (exact sums), a few
/// loop-carried back edges and extra edge delays.
Problem random_graph(std::uint64_t seed, op_id n, bool shuffled, bool limited = true) {
  std::mt19937_64 rng(seed);
  std::vector<op_id> id(static_cast<std::size_t>(n));  // id of topological position q
  std::iota(id.begin(), id.end(), 0);
  if (shuffled) std::shuffle(id.begin(), id.end(), rng);
  ProblemBuilder b("rand");
  static const char* const kTypes[] = {"lim", "wide", "slow", ""};
  std::vector<std::int32_t> lat(static_cast<std::size_t>(n));
  for (op_id i = 0; i < n; ++i) {
    const char* type = kTypes[limited ? rng() % 4 : 1 + 2 * (rng() % 2)];
    const op_id o = b.add_op("o" + std::to_string(i), type);
    lat[o] = static_cast<std::int32_t>(rng() % 4);
    b.set_latency(o, lat[o]);
    b.set_blocking(o, std::string(type) == "slow" ? std::max(lat[o], 1) : 1);
    b.set_out_size(o, static_cast<double>(rng() % 4));
  }
  if (limited) {
    b.add_resource("lim", 1 + static_cast<std::int32_t>(rng() % 3));
    b.add_resource("slow", 2);
  }
  for (op_id q = 1; q < n; ++q) {
    const int fanin = static_cast<int>(rng() % 3);
    for (int f = 0; f < fanin; ++f) {
      const op_id from = static_cast<op_id>(rng() % static_cast<std::uint64_t>(q));
      b.add_edge({.src = id[from], .dst = id[q], .delay = static_cast<std::int32_t>(rng() % 2)});
    }
    if (rng() % 8 == 0)
      b.add_edge({.src = id[q], .dst = id[rng() % static_cast<std::uint64_t>(q)],
                  .distance = 1 + static_cast<std::int32_t>(rng() % 2)});
  }
  return b.build();
}

/// Priorities by seed % 3: around the ASAP start rounded to halves (many ties, some -0), the
/// same with full mantissas, or within a few thousand ulps of 1 (keys that differ only in their
/// low radix digits).
std::vector<double> random_priority(const Problem& p, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.5);
  const auto asap = asap_starts(p);
  std::vector<double> mu(asap.size());
  for (std::size_t i = 0; i < mu.size(); ++i) {
    mu[i] = asap[i] + noise(rng);
    if (seed % 3 == 0) {
      mu[i] = std::round(2.0 * mu[i]) / 2.0;
      if (mu[i] == 0.0 && rng() % 2 == 0) mu[i] = -0.0;
    } else if (seed % 3 == 2) {
      mu[i] = 1.0 + std::ldexp(static_cast<double>(rng() % 3000), -52);
    }
  }
  return mu;
}

std::string error_of(auto&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "<no error>";
}

void check_same(const Schedule& a, const Schedule& b) {
  CHECK(a.start == b.start);
  CHECK(a.horizon == b.horizon);
  CHECK(a.ii == b.ii);
}

}  // namespace

TEST_CASE("legalize speed: list scheduling equals the reference on random graphs") {
  ListWorkspace shared;  // reused across calls, as the solver does, and across graphs
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const bool shuffled = seed % 2 == 0, limited = seed % 5 != 0;
    const Problem p = random_graph(seed, 60 + static_cast<op_id>(seed % 7) * 25, shuffled,
                                   limited);
    CAPTURE(seed);
    shared.forget();  // the previous graph is gone: the next one may reuse its address
    ListOptions o;
    check_same(list_schedule(p, o), ref::list_schedule(p, o));
    o.priority = random_priority(p, seed);
    check_same(list_schedule(p, o, shared), ref::list_schedule(p, o));
    o.release.resize(static_cast<std::size_t>(p.num_ops()));
    std::mt19937_64 rng(seed);
    for (auto& r : o.release) r = static_cast<std::int32_t>(rng() % 12) - 2;
    o.horizon = static_cast<std::int32_t>(seed % 3) * 7;
    check_same(list_schedule(p, o, shared), ref::list_schedule(p, o));
    o.release.clear();  // legalize's retry: same priorities, the cached order
    check_same(list_schedule(p, o, shared), ref::list_schedule(p, o));
  }
}

TEST_CASE("legalize speed: one workspace alternating between live graphs") {
  const Problem a = random_graph(51, 90, true), b = random_graph(52, 90, false);
  ListWorkspace ws;
  for (int round = 0; round < 3; ++round)
    for (const Problem* p : {&a, &b}) {
      CAPTURE(round);
      ListOptions o;
      o.priority = random_priority(*p, static_cast<std::uint64_t>(round));
      check_same(list_schedule(*p, o, ws), ref::list_schedule(*p, o));
      o.priority.clear();
      check_same(list_schedule(*p, o, ws), ref::list_schedule(*p, o));
    }
}

TEST_CASE("legalize speed: list scheduling errors are the reference's") {
  const Problem p = random_graph(3, 50, true);
  ListOptions o;
  o.priority = random_priority(p, 3);
  o.priority[17] = std::numeric_limits<double>::quiet_NaN();
  const std::string nan = error_of([&] { (void)list_schedule(p, o); });
  CHECK(nan.find("is NaN") != std::string::npos);
  CHECK(nan == error_of([&] { (void)ref::list_schedule(p, o); }));
  o.priority.resize(3);
  const std::string size = error_of([&] { (void)list_schedule(p, o); });
  CHECK(size.find("3 entries for 50 ops") != std::string::npos);
  CHECK(size == error_of([&] { (void)ref::list_schedule(p, o); }));
  o.priority.clear();
  o.release.assign(50, std::numeric_limits<std::int32_t>::max() - 1);
  const std::string far = error_of([&] { (void)list_schedule(p, o); });
  CHECK(far.find("passes 2^31 - 1 steps") != std::string::npos);
  CHECK(far == error_of([&] { (void)ref::list_schedule(p, o); }));
  // An unlimited graph (the sweep without an order) out of index order, and a class of 0 units.
  const Problem u = random_graph(4, 50, true, false);
  o.release.assign(50, std::numeric_limits<std::int32_t>::max() - 1);
  CHECK(error_of([&] { (void)list_schedule(u, o); }) == far);
  ProblemBuilder b("zero");
  b.add_op("a", "x");
  b.add_resource("x", 0);
  const Problem z = b.build();
  const std::string zero = error_of([&] { (void)list_schedule(z); });
  CHECK(zero.find("whose limit is 0") != std::string::npos);
  CHECK(zero == error_of([&] { (void)ref::list_schedule(z, {}); }));
}

TEST_CASE("legalize speed: peak memory and improve_memory equal the reference") {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const bool shuffled = seed % 2 == 1, limited = seed % 3 != 0;
    const Problem p = random_graph(100 + seed, 80, shuffled, limited);
    CAPTURE(seed);
    ListOptions o;
    o.priority = random_priority(p, seed);
    Schedule s = ref::list_schedule(p, o);
    s.horizon = schedule_latency(p, s) + static_cast<std::int32_t>(seed % 4);
    CHECK(peak_memory(p, s) == ref::peak_memory(p, s, 0));
    for (std::int32_t ii = 1; ii <= 5; ++ii)
      CHECK(peak_memory_modulo(p, s, ii) == ref::peak_memory(p, s, ii));
    std::vector<std::int32_t> fast = s.start, slow = s.start;
    const bool improved = detail::improve_memory(p, s.horizon, fast);
    CHECK(improved == ref::improve_memory(p, s.horizon, slow));
    CHECK(fast == slow);
  }
}

TEST_CASE("legalize speed: legalize equals the reference composition") {
  for (std::uint64_t seed = 1; seed <= 16; ++seed) {
    const Problem p = random_graph(200 + seed, 70, seed % 2 == 0, seed % 4 != 0);
    CAPTURE(seed);
    const std::int32_t cp = critical_path(p);
    const std::vector<double> mu = random_priority(p, seed);
    for (const Formulation f : {Formulation::B, Formulation::Rcs}) {
      const std::int32_t d = cp + static_cast<std::int32_t>(seed % 3);
      const detail::LegalizeFrame fr = detail::make_legalize_frame(p, f, d, 0);
      const detail::Candidate c = detail::legalize(p, fr, mu);
      const detail::Candidate r = ref::legalize(p, fr, mu);
      REQUIRE(c.exists == r.exists);
      check_same(c.schedule, r.schedule);
      CHECK(c.verification.legal == r.verification.legal);
      CHECK(c.verification.count == r.verification.count);
      CHECK(c.objective == r.objective);
    }
  }
}

TEST_CASE("legalize speed: small real graphs schedule as the reference does") {
  const std::filesystem::path data = GAUS_SHARED_DATA_DIR;
  if (!std::filesystem::exists(data / "express")) {
    MESSAGE("shared data not found at " << data << ": skipped");
    return;
  }
  int graphs = 0;
  for (const char* name : {"express/hal.dot", "express/ewf.dot", "express/fir2.dot",
                           "epfl/random_control/ctrl.aig", "epfl/random_control/router.aig",
                           "epfl/random_control/int2float.aig"}) {
    CAPTURE(name);
    const std::filesystem::path path = data / name;
    if (!std::filesystem::exists(path)) continue;
    Problem p = read_graph_file(path.string()).build();
    ++graphs;
    for (const std::int32_t limit : {-1, 2}) {
      for (auto& r : p.resources) r.limit = limit;
      const std::vector<double> mu = random_priority(p, 7);
      const std::int32_t d = critical_path(p) + 2;
      for (const Formulation f : {Formulation::B, Formulation::Rcs}) {
        const detail::LegalizeFrame fr = detail::make_legalize_frame(p, f, d, 0);
        const detail::Candidate c = detail::legalize(p, fr, mu);
        const detail::Candidate r = ref::legalize(p, fr, mu);
        REQUIRE(c.exists == r.exists);
        check_same(c.schedule, r.schedule);
        CHECK(c.verification.count == r.verification.count);
        CHECK(c.objective == r.objective);
      }
    }
  }
  CHECK(graphs > 0);
}
