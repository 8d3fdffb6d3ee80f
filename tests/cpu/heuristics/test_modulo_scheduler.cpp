// Iterative modulo scheduling and the minimum-II search.
#include <doctest/doctest.h>

#include <filesystem>

#include "core/error.hpp"
#include "graphs/analysis.hpp"
#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"
#include "tests/cpu/heuristics/heuristics_fixtures.hpp"
#include "host/heuristics/heuristics.hpp"

using namespace gaus;
using gaus::test::check_legal;
using gaus::test::Net;
using gaus::test::peak_use;

namespace {

/// a -> b -> c -> a with the back edge at `distance`, latency 1 each: rec_mii = ceil(3 / d).
Problem ring(std::int32_t distance) {
  Net n;
  const op_id a = n.op("add"), b = n.op("add"), c = n.op("add");
  n.edge(a, b);
  n.edge(b, c);
  n.edge(c, a, distance);
  return n.build();
}

}  // namespace

TEST_CASE("heuristics modulo: a recurrence sets the II") {
  const Problem p = ring(1);
  const ModuloResult r = find_min_ii_schedule(p);
  CHECK(r.rec_mii == 3);
  CHECK(r.res_mii == 0);
  CHECK(r.mii == 3);
  CHECK(r.schedule.ii == 3);
  CHECK_FALSE(r.fallback);
  CHECK(r.attempts == 1);
  check_legal(p, r.schedule);
  CHECK(r.schedule.horizon == schedule_latency(p, r.schedule));

  const Problem p2 = ring(2);
  const ModuloResult r2 = find_min_ii_schedule(p2);
  CHECK(r2.rec_mii == 2);
  CHECK(r2.schedule.ii == 2);
  check_legal(p2, r2.schedule);

  // Below the recurrence bound no budget helps.
  CHECK_FALSE(modulo_list_schedule(p, 2).has_value());
  CHECK_THROWS_AS((void)find_min_ii_schedule(p, {}, 2), InfeasibleError);
  CHECK_THROWS_AS((void)modulo_list_schedule(p, 0), InputError);
}

TEST_CASE("heuristics modulo: unit limits set the II, folded onto residues") {
  SUBCASE("four pipelined muls on one unit: II 4") {
    Net n;
    const op_id ld = n.op("ld");
    for (int i = 0; i < 4; ++i) n.edge(ld, n.op("mul", 3, 1));
    n.limit("mul", 1);
    const Problem p = n.build();
    const ModuloResult r = find_min_ii_schedule(p);
    CHECK(r.res_mii == 4);
    CHECK(r.schedule.ii == 4);
    CHECK(peak_use(p, r.schedule, p.op_resource[1]) == 1);
    check_legal(p, r.schedule);
  }
  SUBCASE("three non-pipelined muls (B = 2) on two units: II 3") {
    Net n;
    for (int i = 0; i < 3; ++i) n.op("mul", 2, 2);
    n.limit("mul", 2);
    const Problem p = n.build();
    const ModuloResult r = find_min_ii_schedule(p);
    CHECK(r.res_mii == 3);
    CHECK(r.schedule.ii == 3);
    check_legal(p, r.schedule);
  }
  SUBCASE("an op blocking longer than II wraps onto its own residues") {
    Net n;
    n.op("div", 5, 5);
    n.limit("div", 1);
    const Problem p = n.build();
    CHECK_FALSE(modulo_list_schedule(p, 4).has_value());  // needs 2 units at one residue
    const ModuloResult r = find_min_ii_schedule(p);
    CHECK(r.schedule.ii == 5);
    check_legal(p, r.schedule);
    Net m;
    m.op("div", 5, 5);
    m.limit("div", 2);
    const Problem q = m.build();
    const auto s = modulo_list_schedule(q, 3);  // residues hold 2, 2, 1 units
    REQUIRE(s.has_value());
    check_legal(q, *s);
  }
  SUBCASE("recurrence 2 and resource 3 together: II 3") {
    Net n;
    const op_id a = n.op("add"), b = n.op("add");
    n.edge(a, b);
    n.edge(b, a, 1);
    for (int i = 0; i < 3; ++i) n.edge(b, n.op("mul", 2, 1));
    n.limit("mul", 1);
    const Problem p = n.build();
    const ModuloResult r = find_min_ii_schedule(p);
    CHECK(r.rec_mii == 2);
    CHECK(r.res_mii == 3);
    CHECK(r.schedule.ii == 3);
    check_legal(p, r.schedule);
  }
  SUBCASE("a limit of 0 on a class an op needs") {
    Net n;
    n.op("mul");
    n.limit("mul", 0);
    const Problem p = n.build();
    CHECK_THROWS_AS((void)modulo_list_schedule(p, 3), InfeasibleError);
    CHECK_THROWS_AS((void)find_min_ii_schedule(p), InfeasibleError);
  }
}

TEST_CASE("heuristics modulo: self-loops, delays past latency, empty and single op") {
  Net n;
  const op_id a = n.op("acc", 2);
  n.edge(a, a, 1);  // s_a + II >= s_a + 2
  const op_id b = n.op("st");
  n.edge(a, b, 0, 3);  // lambda = 2 + 3
  n.edge(b, a, 2, 1);  // lambda = 1 + 1 over 2 iterations
  const Problem p = n.build();
  CHECK_FALSE(modulo_list_schedule(p, 1).has_value());
  const ModuloResult r = find_min_ii_schedule(p);
  CHECK(r.rec_mii == 4);  // (5 + 2) / 2 rounded up
  CHECK(r.schedule.ii == 4);
  check_legal(p, r.schedule);

  const Problem empty = ProblemBuilder().build();
  const ModuloResult e = find_min_ii_schedule(empty);
  CHECK(e.schedule.start.empty());
  CHECK(e.schedule.ii == 1);
  CHECK_FALSE(e.fallback);

  Net one;
  one.op("x", 3);
  const Problem q = one.build();
  const ModuloResult o = find_min_ii_schedule(q);
  CHECK(o.schedule.ii == 1);
  CHECK(o.schedule.start == std::vector<std::int32_t>{0});
  check_legal(q, o.schedule);
}

TEST_CASE("heuristics modulo: random loops under limits, any priority, are legal") {
  int at_mii = 0, total = 0;
  for (std::uint32_t seed = 1; seed <= 12; ++seed) {
    Net net = gaus::test::random_dag(seed, 120, 2, 12, seed % 2 ? 2 : 1);
    std::mt19937 rng(seed * 7919u);
    for (int k = 0; k < 6; ++k) {  // back edges: recurrences over 1 or 2 iterations
      const op_id hi = 20 + static_cast<op_id>(rng() % 100);
      const op_id lo = hi - 1 - static_cast<op_id>(rng() % 19);
      net.edge(hi, lo, 1 + static_cast<std::int32_t>(rng() % 2));
    }
    net.limit("mul", 2);
    net.limit("add", 3);
    const Problem p = net.build();
    ListOptions o;
    if (seed % 3 == 0)  // reverse topological priority: only evictions make it legal
      for (op_id i = 0; i < p.num_ops(); ++i) o.priority.push_back(-i);
    const ModuloResult r = find_min_ii_schedule(p, o);
    CAPTURE(seed);
    CHECK(r.schedule.ii >= r.mii);
    check_legal(p, r.schedule);
    at_mii += r.schedule.ii == r.mii;
    ++total;
  }
  MESSAGE("random loops scheduled at II = MII: " << at_mii << " of " << total);
  CHECK(at_mii * 2 >= total);
}

TEST_CASE("heuristics modulo: HatScheT MachSuite loop bodies") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(GAUS_SHARED_DATA_DIR) / "hatschet" / "MachSuite";
  if (!fs::is_directory(dir)) {
    MESSAGE("skipped: " << dir << " not found");
    return;
  }
  std::vector<fs::path> graphs;
  for (const auto& bench : fs::directory_iterator(dir))
    if (bench.is_directory())
      for (const auto& f : fs::directory_iterator(bench.path()))
        if (f.path().extension() == ".graphml") graphs.push_back(f.path());
  std::sort(graphs.begin(), graphs.end());
  int at_mii = 0;
  for (const auto& g : graphs) {
    const fs::path rm = g.parent_path() / (g.stem().string() + "_RM.xml");
    const Problem p = read_graphml(read_file(g.string()), g.string(), read_file(rm.string()),
                                   rm.string())
                          .build();
    const ModuloResult r = find_min_ii_schedule(p);
    CAPTURE(g.string());
    check_legal(p, r.schedule);
    CHECK(r.schedule.ii >= r.mii);
    at_mii += r.schedule.ii == r.mii;
  }
  MESSAGE("MachSuite: " << graphs.size() << " loop bodies, " << at_mii << " at II = MII");
  CHECK(graphs.size() > 0);
}

// [scale]: run by the cpu_scale CTest entry, whose TIMEOUT is the guard. ~67k muls on one unit
// make II = ResMII ~67k with a nearly full table: probing each step of an op's II window took
// O(II) per placement (minutes here); the table's min-trees skip full residues.
TEST_CASE("heuristics modulo: 200k ops at an II of ~67k [scale]") {
  Net net = gaus::test::random_dag(7, 200000, 2, 1000, 2);
  net.limit("mul", 1);
  net.limit("add", 3);
  const Problem p = net.build();
  const std::int32_t ii = compute_res_mii(p);
  REQUIRE(ii > 60000);
  const std::optional<Schedule> s = modulo_list_schedule(p, ii);
  REQUIRE(s.has_value());
  CHECK(s->ii == ii);
  check_legal(p, *s);
}

// Ops blocking several cycles (some longer than the II) at small IIs, where an op's first cell
// can be free while a later one is full: the min-tree search must go on past such steps.
TEST_CASE("heuristics modulo: multi-cycle ops at small IIs are placed legally") {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    Net net = gaus::test::random_dag(seed, 60, 3, 8, 2);
    net.limit("mul", 2);
    net.limit("add", 1);
    for (op_id i = 0; i < net.b.num_ops(); ++i) net.b.set_blocking(i, 1 + (i * 7 + seed) % 5);
    const Problem p = net.build();
    const ModuloResult r = find_min_ii_schedule(p);
    CAPTURE(seed);
    check_legal(p, r.schedule);
  }
}
