#include <doctest/doctest.h>

#include <string>

#include "graphs/builder.hpp"
#include "host/verify/verify.hpp"

using namespace gaus;

namespace {

/// a (MUL, L 3) -> b (ADD) -> c (ADD); a -> c; c -> a loop-carried (distance 2).
/// MUL: 1 unit, non-pipelined (B = 3); ADD: 1 unit.
Problem small_problem() {
  ProblemBuilder b("v.json");
  b.add_resource("MUL", 1);
  b.add_resource("ADD", 1);
  const op_id a = b.add_op("a", "mul"), x = b.add_op("b", "add"), c = b.add_op("c", "add");
  b.set_unit(a, "MUL");
  b.set_unit(x, "ADD");
  b.set_unit(c, "ADD");
  b.set_latency(a, 3);
  b.set_blocking(a, 3);
  b.add_edge({.src = a, .dst = x});                        // lambda 3
  b.add_edge({.src = x, .dst = c});                        // lambda 1
  b.add_edge({.src = a, .dst = c, .delay = 1});            // lambda 4
  b.add_edge({.src = c, .dst = a, .delay = 4, .distance = 2});  // lambda 5
  return b.build();
}

Schedule sched(std::vector<std::int32_t> start, std::int32_t horizon = 0, std::int32_t ii = 0) {
  return Schedule{std::move(start), horizon, ii};
}

}  // namespace

TEST_CASE("verify accepts a legal schedule") {
  const Problem p = small_problem();
  const VerifyResult r = verify(p, sched({0, 3, 4}, 5, 5));
  CHECK(r.legal);
  CHECK(r.count == 0);
  CHECK(r.violations.empty());
  CHECK(verify(p, sched({0, 3, 4})).legal);  // loop-carried edge not checked without II
  CHECK(verify(p, sched({1, 4, 5}, 6)).legal);
}

TEST_CASE("verify names a dependency violation") {
  const Problem p = small_problem();
  const VerifyResult r = verify(p, sched({0, 2, 4}));
  REQUIRE(r.count == 1);
  CHECK_FALSE(r.legal);
  const Violation& v = r.violations.at(0);
  CHECK(v.kind == ViolationKind::Dependency);
  CHECK(v.op == 1);
  CHECK(v.other == 0);
  CHECK(p.edge_dst[v.edge] == 1);
  CHECK(v.amount == 1);
  CHECK(v.message ==
        "dependency 'a' -> 'b': 'b' starts at 2, needs >= 3 ('a' starts at 0, delay 3)");
  CHECK(std::string(to_string(v.kind)) == "dependency");
}

TEST_CASE("verify checks loop-carried edges at the schedule's II") {
  const Problem p = small_problem();
  // c -> a: a + 2 * II >= c + 5, i.e. 0 + 2 II >= 9 needs II >= 5.
  const VerifyResult r = verify(p, sched({0, 3, 4}, 0, 4));
  REQUIRE(r.count == 1);
  const Violation& v = r.violations.at(0);
  CHECK(v.kind == ViolationKind::Recurrence);
  CHECK(v.op == 0);
  CHECK(v.other == 2);
  CHECK(v.amount == 1);
  CHECK(v.message == "recurrence 'c' -> 'a': 'a' starts at 0, needs >= 1 ('c' starts at 4, "
                     "delay 5, distance 2 at II=4)");
  // MUL (B = 3) folds onto residues 0..2, ADD onto 3 and 0: no capacity violation.
  CHECK(verify(p, sched({0, 3, 4}, 0, 5)).legal);
}

TEST_CASE("verify checks the horizon") {
  const Problem p = small_problem();
  const VerifyResult r = verify(p, sched({-1, 3, 5}, 5));
  REQUIRE(r.count == 2);
  CHECK(r.violations[0].kind == ViolationKind::Horizon);
  CHECK(r.violations[0].op == 0);
  CHECK(r.violations[0].amount == 1);
  CHECK(r.violations[0].message == "horizon: 'a' starts at -1, before step 0");
  CHECK(r.violations[1].op == 2);
  CHECK(r.violations[1].amount == 1);
  CHECK(r.violations[1].message == "horizon: 'c' starts at 5 and finishes at 6, after D=5");
  CHECK(verify(p, sched({0, 3, 5}, 6)).legal);
  CHECK(verify(p, sched({0, 3, 5})).legal);  // no horizon given: no upper bound
}

TEST_CASE("verify counts units per step and names the ops") {
  ProblemBuilder b;
  b.add_resource("MUL", 2);
  for (const char* n : {"a", "b", "c", "d", "e", "f", "g"}) b.set_unit(b.add_op(n, "mul"), "MUL");
  b.set_blocking(3, 2);  // d holds its unit 2 steps
  b.add_op("free", "");  // holds no unit
  const Problem p = b.build();
  SUBCASE("three on two units") {
    const VerifyResult r = verify(p, sched({4, 4, 4, 0, 9, 10, 11, 4}));
    REQUIRE(r.count == 1);
    const Violation& v = r.violations[0];
    CHECK(v.kind == ViolationKind::Capacity);
    CHECK(v.resource == 0);
    CHECK(v.step == 4);
    CHECK(v.amount == 1);
    CHECK(v.op == 0);
    CHECK(v.message == "capacity: class 'MUL' uses 3 of 2 units at step 4 (ops 'a', 'b', 'c')");
  }
  SUBCASE("a blocking op counts on every step it holds, names are capped at five") {
    const VerifyResult r = verify(p, sched({1, 1, 2, 1, 1, 1, 1, 0}));
    REQUIRE(r.count == 1);  // step 2 holds c and d: 2 of 2
    CHECK(r.violations[0].step == 1);
    CHECK(r.violations[0].amount == 4);
    CHECK(r.violations[0].message ==
          "capacity: class 'MUL' uses 6 of 2 units at step 1 (ops 'a', 'b', 'd', 'e', 'f', ...)");
    CHECK(verify(p, sched({1, 1, 3, 0, 3, 4, 4, 0})).count == 1);  // step 1: a, b, d
  }
}

TEST_CASE("verify folds unit use onto residues mod II") {
  ProblemBuilder b;
  b.add_resource("DIV", 2);
  const op_id d = b.add_op("d", "div"), e = b.add_op("e", "div");
  b.set_unit(d, "DIV");
  b.set_unit(e, "DIV");
  b.set_blocking(d, 5);  // at II 2: two whole wraps plus one step
  const Problem p = b.build();
  SUBCASE("an op longer than II holds several units of a residue") {
    const VerifyResult r = verify(p, sched({0, 1}, 0, 2));
    REQUIRE(r.count == 2);
    CHECK(r.violations[0].step == 0);
    CHECK(r.violations[0].amount == 1);
    CHECK(r.violations[0].message == "capacity: class 'DIV' uses 3 of 2 units at residue 0 mod "
                                     "II=2 (ops 'd' x3)");
    CHECK(r.violations[1].message == "capacity: class 'DIV' uses 3 of 2 units at residue 1 mod "
                                     "II=2 (ops 'd' x2, 'e')");
  }
  SUBCASE("two ops on one residue") {
    const VerifyResult r = verify(p, sched({1, 3}, 0, 2));
    REQUIRE(r.count == 1);
    CHECK(r.violations[0].step == 1);
    CHECK(r.violations[0].message == "capacity: class 'DIV' uses 4 of 2 units at residue 1 mod "
                                     "II=2 (ops 'd' x3, 'e')");
  }
  SUBCASE("negative starts fold too, and without II the same starts are legal") {
    // d at -3 holds residue 1 three times, e at 2 joins d's two on residue 0; d starts < 0.
    CHECK(verify(p, sched({-3, 2}, 0, 2)).count == 3);
    CHECK(verify(p, sched({1, 3})).legal);
  }
  SUBCASE("wrapping over the end of the table") {
    b.set_blocking(d, 3);
    b.set_blocking(e, 2);
    const Problem q = b.build();
    // II 4: d at 3 holds residues 3, 0, 1; e at 5 holds 1, 2: residue 1 has 2 of 2.
    CHECK(verify(q, sched({3, 5}, 0, 4)).legal);
    b.add_resource("DIV", 1);
    const VerifyResult r = verify(b.build(), sched({3, 5}, 0, 4));
    REQUIRE(r.count == 1);
    CHECK(r.violations[0].message == "capacity: class 'DIV' uses 2 of 1 unit at residue 1 mod "
                                     "II=4 (ops 'd', 'e')");
  }
}

TEST_CASE("verify reports shape errors") {
  const Problem p = small_problem();
  VerifyResult r = verify(p, sched({0, 3}));
  REQUIRE(r.count == 1);
  CHECK(r.violations[0].kind == ViolationKind::Shape);
  CHECK(r.violations[0].message == "shape: the schedule has 2 start times for 3 ops");
  r = verify(p, sched({0, 3, 4}, -2, -1));
  REQUIRE(r.count == 2);
  CHECK(r.violations[0].message == "shape: negative horizon D=-2");
  CHECK(r.violations[1].message == "shape: negative initiation interval II=-1");
  const Problem empty = ProblemBuilder().build();
  CHECK(verify(empty, sched({})).legal);
  CHECK(verify(empty, sched({0})).count == 1);
}

TEST_CASE("verify counts every violation but stores at most max_reported") {
  ProblemBuilder b;
  b.add_resource("U", 1);
  for (int i = 0; i < 3; ++i) {
    const op_id o = b.add_op("o" + std::to_string(i), "u");
    b.set_unit(o, "U");
    b.set_blocking(o, 1000);
  }
  const Problem p = b.build();
  const VerifyResult r = verify(p, sched({0, 0, 500}), 10);
  CHECK(r.count == 1000);  // steps 0..999 over the limit
  CHECK(r.violations.size() == 10);
  CHECK(r.violations[9].step == 9);
  CHECK(r.violations[0].message ==
        "capacity: class 'U' uses 2 of 1 unit at step 0 (ops 'o0', 'o1')");
  CHECK(verify(p, sched({0, 0, 500}), 0).violations.empty());
  // Modulo: at II 7 each op wraps 142 times plus 6 steps, so every residue is over.
  CHECK(verify(p, sched({0, 0, 500}, 0, 7)).count == 7);
}

TEST_CASE("verify handles huge start values without overflow or huge arrays") {
  ProblemBuilder b;
  b.add_resource("U", 1);
  const op_id x = b.add_op("x", "u"), y = b.add_op("y", "u"), z = b.add_op("z", "u");
  for (op_id o : {x, y, z}) b.set_unit(o, "U");
  b.add_edge({.src = x, .dst = y, .delay = 200000000, .adds_latency = false});
  b.add_edge({.src = y, .dst = z, .delay = 7, .adds_latency = false, .distance = 2});
  const Problem p = b.build();
  const std::int32_t big = 2000000000;
  VerifyResult r = verify(p, sched({big, big + 100000000, 5}));
  REQUIRE(r.count == 1);
  CHECK(r.violations[0].message == "dependency 'x' -> 'y': 'y' starts at 2100000000, needs >= "
                                   "2200000000 ('x' starts at 2000000000, delay 200000000)");
  CHECK(r.violations[0].amount == 100000000);
  // Two ops on one step far apart from a third: the sweep sorts instead of spanning 2e9 steps.
  r = verify(p, sched({-5, big, big}, 2147483647));
  CHECK(r.count == 2);  // x starts before step 0; y and z share a step
  bool capacity = false;
  for (const auto& v : r.violations)
    if (v.kind == ViolationKind::Capacity) {
      capacity = true;
      CHECK(v.step == big);
      CHECK(v.message == "capacity: class 'U' uses 2 of 1 unit at step 2000000000 (ops 'y', 'z')");
    }
  CHECK(capacity);
  // II = 2e9: z + 2 * II >= y + 7 needs 64 bits; residues 0, big - 1 and 7 are apart.
  r = verify(p, sched({0, big - 1, -big + 7}, 0, big));
  REQUIRE(r.count == 1);
  CHECK(r.violations[0].kind == ViolationKind::Horizon);  // only z's negative start
  r = verify(p, sched({0, big - 1, -big + 5}, 0, big));
  REQUIRE(r.count == 2);
  CHECK(r.violations[0].message == "recurrence 'y' -> 'z': 'z' starts at -1999999995, needs >= "
                                   "-1999999994 ('y' starts at 1999999999, delay 7, distance 2 "
                                   "at II=2000000000)");
}

TEST_CASE("verify a long chain quickly") {
  const int n = 300000;
  ProblemBuilder b("chain", false);
  b.add_resource("U", 2);
  std::vector<std::int32_t> start(n);
  for (int i = 0; i < n; ++i) {
    b.set_unit(b.add_op("v" + std::to_string(i), "u"), "U");
    start[i] = i / 2;
    if (i >= 2) b.add_edge({.src = i - 2, .dst = i});
  }
  const Problem p = b.build();
  CHECK(verify(p, sched(start, n / 2)).legal);
  start[n - 1] = 0;
  const VerifyResult r = verify(p, sched(start, n / 2));
  CHECK(r.count == 2);  // the dependency into the last op, and step 0 has three ops
}
