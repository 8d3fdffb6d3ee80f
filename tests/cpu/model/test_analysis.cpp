#include <doctest/doctest.h>

#include <filesystem>
#include <random>
#include <string>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "graphs/analysis.hpp"
#include "graphs/builder.hpp"
#include "graphs/formats.hpp"

using namespace gaus;

namespace {

/// Reference: the smallest II >= 0 with no positive cycle under lambda - II * delta, by plain
/// Bellman-Ford (n + 1 passes) inside a bisection over II.
std::int64_t brute_rec_mii(const Problem& p) {
  auto positive_cycle = [&](std::int64_t ii) {
    std::vector<std::int64_t> dist(static_cast<std::size_t>(p.num_ops()), 0);
    bool changed = true;
    for (op_id pass = 0; pass <= p.num_ops() && changed; ++pass) {
      changed = false;
      for (edge_id e = 0; e < p.num_edges(); ++e) {
        const std::int64_t c =
            dist[p.edge_src[e]] + p.edge_delay[e] - ii * std::int64_t{p.edge_distance[e]};
        if (c > dist[p.edge_dst[e]]) {
          dist[p.edge_dst[e]] = c;
          changed = true;
        }
      }
    }
    return changed;
  };
  std::int64_t lo = 0, hi = 0;
  for (auto d : p.edge_delay) hi += d;
  while (lo < hi) {
    const std::int64_t mid = (lo + hi) / 2;
    if (positive_cycle(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/// The cycle must close, follow real edges and attain the bound.
void check_cycle(const Problem& p, const RecurrenceCycle& c, std::int32_t rec_mii) {
  REQUIRE(!c.ops.empty());
  REQUIRE(c.ops.size() == c.edges.size());
  std::int64_t delay = 0, distance = 0;
  for (std::size_t k = 0; k < c.ops.size(); ++k) {
    const edge_id e = c.edges[k];
    CHECK(p.edge_src[e] == c.ops[k]);
    CHECK(p.edge_dst[e] == c.ops[(k + 1) % c.ops.size()]);
    delay += p.edge_delay[e];
    distance += p.edge_distance[e];
  }
  CHECK(delay == c.delay);
  CHECK(distance == c.distance);
  REQUIRE(distance > 0);
  CHECK((delay + distance - 1) / distance == rec_mii);
}

}  // namespace

TEST_CASE("analysis of a chain: frames, mobility, levels") {
  ProblemBuilder b;
  const op_id a = b.add_op("a", "mul"), c = b.add_op("c", "add"), m = b.add_op("m", "add");
  b.set_latency(a, 2);
  b.set_latency(m, 3);
  b.add_edge({.src = a, .dst = c});
  b.add_edge({.src = c, .dst = m});
  const Problem p = b.build();
  const Analysis r = analyze(p, 8);
  CHECK(r.critical_path == 6);
  CHECK(r.horizon == 8);
  CHECK(r.asap == std::vector<std::int32_t>{0, 2, 3});
  CHECK(r.alap == std::vector<std::int32_t>{2, 4, 5});
  CHECK(r.mobility == std::vector<std::int32_t>{2, 2, 2});
  CHECK(r.level == std::vector<std::int32_t>{0, 1, 2});
  CHECK(r.num_levels == 3);
  CHECK(r.rec_mii == 0);
  CHECK(r.res_mii == 0);
  CHECK(r.rec_cycle.ops.empty());
  CHECK(analyze(p).horizon == 6);  // default: the critical path
}

TEST_CASE("analysis of a diamond with zero-delay edges and the problem's horizon") {
  ProblemBuilder b;
  const op_id a = b.add_op("a", "x"), l = b.add_op("l", "x"), r = b.add_op("r", "x"),
              d = b.add_op("d", "x");
  b.set_latency(l, 3);
  b.add_edge({.src = a, .dst = l});
  b.add_edge({.src = a, .dst = r, .adds_latency = false});  // lambda 0: same step allowed
  b.add_edge({.src = l, .dst = d});
  b.add_edge({.src = r, .dst = d});
  b.set_horizon(7);
  const Problem p = b.build();
  const Analysis x = analyze(p);
  CHECK(x.critical_path == 5);
  CHECK(x.horizon == 7);
  CHECK(x.asap == std::vector<std::int32_t>{0, 1, 0, 4});
  CHECK(x.alap == std::vector<std::int32_t>{2, 3, 5, 6});
  CHECK(x.mobility == std::vector<std::int32_t>{2, 2, 5, 2});
  CHECK(x.level == std::vector<std::int32_t>{0, 1, 1, 2});
  CHECK(x.num_levels == 3);
}

TEST_CASE("analysis rejects a horizon below the critical path, naming the chain") {
  ProblemBuilder b("k.dot");
  const op_id a = b.add_op("a", "mul"), c = b.add_op("c", "add"), x = b.add_op("x", "add");
  b.add_op("lone", "add");
  b.set_latency(a, 4);
  b.set_latency(x, 2);
  b.add_edge({.src = a, .dst = c});
  b.add_edge({.src = c, .dst = x});
  const Problem p = b.build();
  CHECK(critical_path(p) == 7);
  CHECK_THROWS_WITH_AS(analyze(p, 5),
                       "k.dot: horizon D=5 is shorter than the critical path 7 (op 'x' cannot "
                       "finish before step 7; its chain of 3 ops starts at 'a')",
                       InfeasibleError);
  CHECK_THROWS_AS(analyze(p, -1), InputError);
  CHECK(analyze(p, 7).mobility == std::vector<std::int32_t>{0, 0, 0, 6});
}

TEST_CASE("analysis of an empty problem and of one op") {
  const Problem empty = ProblemBuilder().build();
  const Analysis e = analyze(empty);
  CHECK(e.critical_path == 0);
  CHECK(e.num_levels == 0);
  CHECK(e.rec_mii == 0);
  CHECK(e.res_mii == 0);
  ProblemBuilder b;
  b.add_op("z", "");
  b.set_latency(0, 0);
  const Analysis one = analyze(b.build());
  CHECK(one.critical_path == 1);  // an op occupies at least one step
  CHECK(one.num_levels == 1);
}

TEST_CASE("analysis rec_mii of known recurrences") {
  SUBCASE("cycle of delay 7 over distance 2 needs II 4") {
    ProblemBuilder b;
    const op_id a = b.add_op("a", "x"), c = b.add_op("c", "x"), d = b.add_op("d", "x");
    b.set_latency(a, 3);
    b.set_latency(c, 2);
    b.set_latency(d, 2);
    b.add_edge({.src = a, .dst = c});
    b.add_edge({.src = c, .dst = d});
    b.add_edge({.src = d, .dst = a, .distance = 2});
    const Problem p = b.build();
    RecurrenceCycle cyc;
    CHECK(compute_rec_mii(p, &cyc) == 4);
    check_cycle(p, cyc, 4);
    CHECK(cyc.delay == 7);
    CHECK(cyc.distance == 2);
    const Analysis x = analyze(p);
    CHECK(x.rec_mii == 4);
    CHECK_NOTHROW(check_ii(p, 4));
    CHECK_THROWS_WITH_AS(check_ii(p, 3),
                         doctest::Contains("II=3 is below the recurrence bound 4: cycle "),
                         InfeasibleError);
    CHECK_THROWS_WITH_AS(check_ii(p, 3), doctest::Contains("has delay 7 over distance 2"),
                         InfeasibleError);
    CHECK_THROWS_AS(check_ii(p, 0), InputError);
  }
  SUBCASE("exact ratios, self-loops and the largest of several components") {
    ProblemBuilder b;
    const op_id acc = b.add_op("acc", "add"), u = b.add_op("u", "x"), v = b.add_op("v", "x");
    b.set_latency(acc, 3);
    b.set_latency(u, 4);
    b.set_latency(v, 4);
    b.add_edge({.src = acc, .dst = acc, .distance = 1});  // 3 / 1
    b.add_edge({.src = u, .dst = v});
    b.add_edge({.src = v, .dst = u, .distance = 2});      // 8 / 2 = 4 exactly
    Problem p = b.build();
    RecurrenceCycle cyc;
    CHECK(compute_rec_mii(p, &cyc) == 4);
    check_cycle(p, cyc, 4);
    CHECK(cyc.ops.size() == 2);
  }
  SUBCASE("cycles of zero delay need no II; loop-carried edges off cycles are ignored") {
    ProblemBuilder b;
    const op_id a = b.add_op("a", "x"), c = b.add_op("c", "x"), d = b.add_op("d", "x");
    b.add_edge({.src = a, .dst = c, .adds_latency = false});
    b.add_edge({.src = c, .dst = a, .adds_latency = false, .distance = 1});
    b.add_edge({.src = c, .dst = d, .delay = 50, .distance = 3});  // no way back from d
    const Problem p = b.build();
    RecurrenceCycle cyc;
    CHECK(compute_rec_mii(p, &cyc) == 0);
    CHECK(cyc.ops.empty());
  }
}

TEST_CASE("analysis rec_mii matches a brute-force search on random graphs") {
  std::mt19937 rng(12345);
  for (int g = 0; g < 150; ++g) {
    ProblemBuilder b;
    const int n = 2 + static_cast<int>(rng() % 10);
    for (int i = 0; i < n; ++i) {
      b.add_op("o" + std::to_string(i), "t");
      b.set_latency(i, static_cast<std::int32_t>(rng() % 6));
    }
    const int m = static_cast<int>(rng() % (3 * n));
    for (int k = 0; k < m; ++k) {
      int s = static_cast<int>(rng() % n), t = static_cast<int>(rng() % n);
      const bool carried = rng() % 3 == 0 || s >= t;  // distance-0 edges go forward: a DAG
      b.add_edge({.src = s, .dst = t, .delay = static_cast<std::int32_t>(rng() % 3),
                  .distance = carried ? 1 + static_cast<std::int32_t>(rng() % 3) : 0});
    }
    const Problem p = b.build();
    RecurrenceCycle cyc;
    const std::int32_t got = compute_rec_mii(p, &cyc);
    CAPTURE(g);
    REQUIRE(got == brute_rec_mii(p));
    if (got > 0) check_cycle(p, cyc, got);
  }
}

TEST_CASE("analysis res_mii and its infeasible cases") {
  ProblemBuilder b("r.json");
  b.add_resource("MUL", 2);
  b.add_resource("DIV", 1);
  b.add_resource("ALU", -1);
  for (int i = 0; i < 5; ++i) b.set_unit(b.add_op("m" + std::to_string(i), "mul"), "MUL");
  const op_id d = b.add_op("d", "div");
  b.set_unit(d, "DIV");
  b.set_blocking(d, 4);
  for (int i = 0; i < 9; ++i) b.set_unit(b.add_op("x" + std::to_string(i), "add"), "ALU");
  {
    const Problem p = b.build();
    std::int32_t cls = -1;
    CHECK(compute_res_mii(p, &cls) == 4);  // DIV: 4 / 1 beats MUL: ceil(5 / 2) = 3
    CHECK(p.resources[cls].name == "DIV");
    CHECK(analyze(p).res_mii == 4);
    CHECK_NOTHROW(check_ii(p, 4));
    CHECK_THROWS_WITH_AS(check_ii(p, 3),
                         "r.json: II=3 is below the resource bound 4: class 'DIV' is busy 4 "
                         "unit-cycles per iteration on 1 unit",
                         InfeasibleError);
  }
  b.set_blocking(d, 1);
  CHECK(compute_res_mii(b.build()) == 3);
  b.add_resource("DIV", 0);
  CHECK_THROWS_WITH_AS(analyze(b.build()),
                       "r.json: resource class 'DIV' has limit 0 but op 'd' needs one of its units",
                       InfeasibleError);
  b.set_blocking(d, 0);  // holds no unit: a limit of 0 is fine
  CHECK(compute_res_mii(b.build()) == 3);
}

// [scale]: run by the cpu_scale CTest entry, whose TIMEOUT is the complexity guard.
TEST_CASE("analysis rec_mii on a 200k-op graph with one large recurrence component [scale]") {
  const int n = 200000;
  ProblemBuilder b("big", false);
  for (int i = 0; i < n; ++i) b.add_op("v" + std::to_string(i), "x");
  for (int i = 0; i + 1 < n; ++i) b.add_edge({.src = i, .dst = i + 1});
  // Back edges every 997 ops close cycles of 1000 ops and distance 1 (nested ones overlap).
  for (int i = 0; i + 999 < n; i += 997)
    b.add_edge({.src = i + 999, .dst = i, .distance = 1});
  const Problem p = b.build();
  RecurrenceCycle cyc;
  CHECK(compute_rec_mii(p, &cyc) == 1000);
  check_cycle(p, cyc, 1000);
}

TEST_CASE("analysis rec_mii of HatScheT MachSuite graphs matches brute force") {
  const std::filesystem::path dir = std::filesystem::path(GAUS_SHARED_DATA_DIR) / "hatschet";
  if (!std::filesystem::exists(dir)) {
    MESSAGE("no " << dir << ": skipped");
    return;
  }
  int checked = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    const auto& path = entry.path();
    if (path.extension() != ".graphml") continue;
    Problem p;
    try {
      p = read_graph_file(path.string()).build();
    } catch (const InputError& e) {
      MESSAGE("skipped " << path << ": " << e.what());
      continue;
    }
    CAPTURE(path);
    RecurrenceCycle cyc;
    const std::int32_t got = compute_rec_mii(p, &cyc);
    CHECK(got == brute_rec_mii(p));
    if (got > 0) check_cycle(p, cyc, got);
    ++checked;
  }
  MESSAGE(checked << " MachSuite graphs checked");
}
