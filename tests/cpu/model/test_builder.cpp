#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "graphs/builder.hpp"

using namespace gaus;

TEST_CASE("builder lays out CSR, resolves delays and orders ops topologically") {
  ProblemBuilder b("t.json");
  const op_id c = b.add_op("c", "add");
  const op_id a = b.add_op("a", "mul");
  const op_id d = b.add_op("d", "");
  b.set_latency(a, 2);
  b.add_edge({.src = a, .dst = c});                                        // lambda = L_a = 2
  b.add_edge({.src = c, .dst = d, .delay = 3, .adds_latency = false});     // lambda = 3
  b.add_edge({.src = a, .dst = d, .delay = 1});                            // lambda = 2 + 1
  b.add_edge({.src = d, .dst = a, .distance = 1});                         // loop-carried
  const Problem p = b.build();
  validate(p);
  CHECK(p.num_ops() == 3);
  CHECK(p.num_edges() == 4);
  CHECK(p.num_loop_carried() == 1);
  CHECK(p.latency[c] == 1);
  CHECK(p.latency[d] == 1);
  CHECK(p.blocking[d] == 0);  // no type: holds no unit
  CHECK(p.op_resource[d] == kNoResource);
  // edges of a come first in CSR order, in insertion order
  CHECK(p.succ_offsets[a + 1] - p.succ_offsets[a] == 2);
  const auto asap = asap_starts(p);
  CHECK(asap[a] == 0);
  CHECK(asap[c] == 2);
  CHECK(asap[d] == 5);
  CHECK(critical_path(p) == 6);
  const auto alap = alap_starts(p, 8);
  CHECK(alap[d] == 7);
  CHECK(alap[c] == 4);
  CHECK(alap[a] == 2);
}

TEST_CASE("builder applies a type library over the file's values") {
  ProblemBuilder b;
  const op_id m = b.add_op("m", "mul");
  const op_id x = b.add_op("x", "add");
  b.set_latency(x, 4);
  b.add_edge({.src = m, .dst = x});
  TypeLibrary lib;
  lib.unit_class["mul"] = "MUL";
  lib.latency["MUL"] = 2;
  lib.default_latency = 1;
  lib.limits["MUL"] = 2;
  lib.pipelined = false;
  const Problem p = b.build(lib);
  CHECK(p.latency[m] == 2);
  CHECK(p.blocking[m] == 2);
  CHECK(p.latency[x] == 4);  // the file's value stands where the library has no entry
  CHECK(p.resources[p.op_resource[m]].name == "MUL");
  CHECK(p.resources[p.op_resource[m]].limit == 2);
  CHECK(p.resources[p.op_resource[x]].limit == kUnlimited);
  CHECK(p.edge_delay[0] == 2);
}

TEST_CASE("builder rejects bad input with messages that name the culprit") {
  SUBCASE("duplicate op") {
    ProblemBuilder b("g.dot");
    b.add_op("a", "add", 3);
    CHECK_THROWS_WITH_AS(b.add_op("a", "add", 7), "g.dot:7: duplicate op name 'a' (first defined at line 3)",
                         InputError);
  }
  SUBCASE("duplicate op from a reader that gives no lines: both named by position") {
    ProblemBuilder b("g.json");
    b.add_op("1", "add");
    b.add_op("2", "add");
    CHECK_THROWS_WITH_AS(b.add_op("1", "add"),
                         "g.json: duplicate op name '1' as op 3 (first defined as op 1)",
                         InputError);
  }
  SUBCASE("cycle over distance-0 edges names its ops") {
    ProblemBuilder b("g.dot");
    const op_id a = b.add_op("a", "add");
    const op_id bb = b.add_op("b", "add");
    const op_id c = b.add_op("c", "add");
    b.add_edge({.src = a, .dst = bb});
    b.add_edge({.src = bb, .dst = c});
    b.add_edge({.src = c, .dst = a});
    try {
      (void)b.build();
      FAIL("no error");
    } catch (const InputError& e) {
      const std::string msg = e.what();
      CHECK(msg.find("cycle") != std::string::npos);
      CHECK(msg.find("'a'") != std::string::npos);
      CHECK(msg.find("'b'") != std::string::npos);
      CHECK(msg.find("'c'") != std::string::npos);
    }
  }
  SUBCASE("self loop") {
    ProblemBuilder b;
    const op_id a = b.add_op("a", "add");
    b.add_edge({.src = a, .dst = a});
    CHECK_THROWS_AS((void)b.build(), InputError);
  }
  SUBCASE("negative latency names the op") {
    ProblemBuilder b("f.json");
    const op_id a = b.add_op("alpha", "add", 4);
    b.set_latency(a, -1);
    CHECK_THROWS_WITH_AS((void)b.build(), "f.json:4: op 'alpha': negative latency -1", InputError);
  }
  SUBCASE("limit for an unknown class") {
    ProblemBuilder b;
    b.add_op("a", "add");
    TypeLibrary lib;
    lib.limits["MUL"] = 1;
    CHECK_THROWS_WITH_AS((void)b.build(lib),
                         "<input>: unknown resource class 'MUL' given a limit (no op uses it)",
                         InputError);
  }
  SUBCASE("negative distance") {
    ProblemBuilder b;
    const op_id a = b.add_op("a", "add");
    const op_id c = b.add_op("c", "add");
    b.add_edge({.src = a, .dst = c, .distance = -2, .line = 9});
    CHECK_THROWS_WITH_AS((void)b.build(), "line 9: edge 'a' -> 'c': negative distance -2", InputError);
  }
}

TEST_CASE("empty problem builds") {
  const Problem p = ProblemBuilder().build();
  validate(p);
  CHECK(p.num_ops() == 0);
  CHECK(critical_path(p) == 0);
}
