// Operator chaining in the model (graphs/chaining.hpp): chain-breaking edges, start times in
// cycle, the verifier's chaining rules, and the delay fields of the native JSON.
#include <doctest/doctest.h>

#include <string>

#include "core/error.hpp"
#include "graphs/builder.hpp"
#include "graphs/chaining.hpp"
#include "graphs/formats.hpp"
#include "graphs/schedule_json.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/solver/solver.hpp"
#include "host/verify/verify.hpp"

using namespace gaus;

namespace {

struct OpSpec {
  const char* name;
  std::int32_t latency;
  double in, out;
};

/// Ops in a chain a -> b -> c -> ... (value edges), plus `aux` auxiliary edges (src, dst).
Problem chain(std::initializer_list<OpSpec> ops, double cycle_time,
              std::initializer_list<std::pair<int, int>> aux = {}) {
  ProblemBuilder b("chain");
  op_id prev = -1;
  for (const OpSpec& o : ops) {
    const op_id id = b.add_op(o.name, "t");
    b.set_latency(id, o.latency);
    b.set_delays(id, o.in, o.out);
    if (prev >= 0) b.add_edge(EdgeSpec{.src = prev, .dst = id});
    prev = id;
  }
  for (auto [i, j] : aux) b.add_edge(EdgeSpec{.src = i, .dst = j, .auxiliary = true});
  b.set_cycle_time(cycle_time);
  return b.build();
}

int count_chain_breaks(const Problem& p) {
  int n = 0;
  for (edge_id e = 0; e < p.num_edges(); ++e) n += (p.flags(e) & kEdgeChainBreak) != 0;
  return n;
}

bool has_kind(const VerifyResult& v, ViolationKind k) {
  for (const auto& x : v.violations)
    if (x.kind == k) return true;
  return false;
}

}  // namespace

TEST_CASE("chaining: chain-breaking edges where accumulated delays pass the cycle time") {
  // a, b, c combinational with delay 2; cycle 5: a+b+c = 6 > 5, so c may not chain after a.
  const Problem p = chain({{"a", 0, 2, 2}, {"b", 0, 2, 2}, {"c", 0, 2, 2}}, 5.0);
  validate(p);
  REQUIRE(count_chain_breaks(p) == 1);
  for (edge_id e = 0; e < p.num_edges(); ++e)
    if (p.flags(e) & kEdgeChainBreak) {
      CHECK(p.name(p.edge_src[e]) == "a");
      CHECK(p.name(p.edge_dst[e]) == "c");
      CHECK(p.edge_delay[e] == 1);
      CHECK_FALSE(p.carries_value(e));
    }
  const Schedule s = asap_schedule(p);
  CHECK(s.start == std::vector<std::int32_t>{0, 0, 1});
  const auto z = start_times_in_cycle(p, s);
  CHECK(z == std::vector<double>{0, 2, 0});
  CHECK(verify(p, s).legal);
  // Without a cycle time nothing breaks the chain: all three in cycle 0.
  const Problem free = chain({{"a", 0, 2, 2}, {"b", 0, 2, 2}, {"c", 0, 2, 2}}, 0.0);
  CHECK(count_chain_breaks(free) == 0);
  const Schedule s0 = asap_schedule(free);
  CHECK(s0.start == std::vector<std::int32_t>{0, 0, 0});
  CHECK(start_times_in_cycle(free, s0) == std::vector<double>{0, 2, 4});
}

TEST_CASE("chaining: a multi-cycle op contributes only its outgoing delay") {
  // m: 2 cycles, 3 in / 1 out; x combinational 2/2; cycle 3: x starts at z = 1 in m's end cycle.
  const Problem p = chain({{"m", 2, 3, 1}, {"x", 0, 2, 2}, {"y", 0, 2, 2}}, 3.0);
  CHECK(count_chain_breaks(p) == 2);  // m -> y (1 + 2 + 2 > 3) and x -> y (2 + 2 > 3)
  const Schedule s = asap_schedule(p);
  CHECK(s.start == std::vector<std::int32_t>{0, 2, 3});
  CHECK(start_times_in_cycle(p, s) == std::vector<double>{0, 1, 0});
  CHECK(verify(p, s).legal);
}

TEST_CASE("chaining: an auxiliary edge orders ops but carries no value") {
  const Problem p = chain({{"a", 0, 2, 2}, {"b", 1, 1, 1}}, 5.0, {{0, 1}});
  Schedule s{.start = {0, 0}};
  const auto z = start_times_in_cycle(p, s);
  CHECK(z == std::vector<double>{0, 2});  // only the value edge a -> b chains
  CHECK(verify(p, s).legal);
}

TEST_CASE("chaining: the verifier checks given start times in cycle and the cycle time") {
  const Problem p = chain({{"a", 0, 2, 2}, {"b", 0, 2, 2}, {"c", 0, 2, 2}}, 5.0);
  Schedule s{.start = {0, 0, 1}};
  s.z = {0, 2, 0};
  CHECK(verify(p, s).legal);
  s.z = {0, 1.5, 0};  // b starts before a's value arrives
  VerifyResult v = verify(p, s);
  CHECK_FALSE(v.legal);
  REQUIRE(has_kind(v, ViolationKind::Chaining));
  CHECK(v.violations[0].message.find("'a' -> 'b' in cycle 0") != std::string::npos);
  s.z = {0, 2, 0, 0};
  CHECK(has_kind(verify(p, s), ViolationKind::Shape));
  s.z = {0, 2, -1};
  CHECK(has_kind(verify(p, s), ViolationKind::Chaining));
  // All three in cycle 0: c would start at 4 and need 2 more, past the cycle time 5. The
  // chain-breaking edge is not reported on its own; the chaining rule is.
  Schedule all{.start = {0, 0, 0}};
  v = verify(p, all);
  CHECK_FALSE(v.legal);
  CHECK(v.count == 1);
  CHECK(v.violations[0].kind == ViolationKind::Chaining);
  CHECK(v.violations[0].message.find("past the cycle time 5") != std::string::npos);
  all.z = {0, 2, 4};
  CHECK(verify(p, all).count == 1);
}

TEST_CASE("chaining: an op whose own delay exceeds the cycle time is an input error") {
  CHECK_THROWS_WITH_AS(chain({{"a", 0, 2, 2}, {"big", 1, 6, 1}}, 5.0),
                       doctest::Contains("'big': its delays (6 in, 1 out) exceed the cycle time 5"),
                       InputError);
  ProblemBuilder b("neg");
  b.set_delays(b.add_op("a", "t"), -1, 0);
  CHECK_THROWS_WITH_AS(static_cast<void>(b.build()),
                       doctest::Contains("'a': delays must be finite numbers >= 0"),
                       InputError);
}

TEST_CASE("chaining: list scheduling and the gradient solver give chained legal schedules") {
  // Eight combinational adds in a line, delay 1.5, cycle 5: three fit a cycle.
  ProblemBuilder b("line");
  for (int k = 0; k < 8; ++k) {
    const op_id id = b.add_op("add" + std::to_string(k), "add");
    b.set_latency(id, 0);
    b.set_delays(id, 1.5, 1.5);
    if (k > 0) b.add_edge(EdgeSpec{.src = id - 1, .dst = id});
  }
  b.set_cycle_time(5.0);
  const Problem p = b.build();
  Schedule s = list_schedule(p);
  CHECK(verify(p, s).legal);
  CHECK(s.start.back() == 2);  // cycles {0,1,2}, {3,4,5}, {6,7}
  SolveOptions o;
  o.time_limit_s = 1;
  const SolveResult r = solve(p, o);
  REQUIRE(r.legal);
  CHECK(r.schedule.z.size() == 8);
  CHECK(verify(p, r.schedule).legal);
  CHECK(schedule_latency(p, r.schedule) == 3);
  o.formulation = Formulation::B;
  CHECK_THROWS_WITH_AS(solve(p, o), doctest::Contains("auxiliary or chain-breaking"), InputError);
}

TEST_CASE("chaining: native JSON keeps delays, the cycle time and auxiliary edges") {
  const Problem p = chain({{"a", 0, 2, 2}, {"b", 0, 2.5, 2.5}, {"c", 1, 2, 0.25}}, 5.0, {{0, 2}});
  const std::string text = write_native_json(p);
  CHECK(text.find("\"cycle_time\": 5") != std::string::npos);
  CHECK(text.find("\"auxiliary\": true") != std::string::npos);
  const Problem q = read_native_json(text, "round.json").build();
  CHECK(q.cycle_time == 5.0);
  CHECK(q.in_delay == p.in_delay);
  CHECK(q.out_delay == p.out_delay);
  CHECK(q.num_edges() == p.num_edges());  // the chain-breaking edge is derived again, once
  CHECK(count_chain_breaks(q) == count_chain_breaks(p));
  CHECK(write_native_json(q) == text);
  CHECK_THROWS_WITH_AS(
      static_cast<void>(
          read_native_json(R"({"ops": [{"name": "a", "in_delay": "x"}], "edges": []})", "t.json")
              .build()),
      doctest::Contains("\"in_delay\" must be a number"), InputError);
  CHECK_THROWS_WITH_AS(
      read_native_json(R"({"ops": [{"name": "a"}], "edges": [], "cycle_time": -1})", "t.json"),
      doctest::Contains("\"cycle_time\" must be a finite number >= 0"), InputError);
  CHECK_THROWS_WITH_AS(read_native_json(R"({"ops": [{"name": "a"}, {"name": "b"}], "edges": )"
                                        R"([{"from": "a", "to": "b", "auxiliary": 1}]})",
                                        "t.json"),
                       doctest::Contains("\"auxiliary\" must be true or false"), InputError);
}

TEST_CASE("chaining: schedule JSON carries start times in cycle") {
  const Problem p = chain({{"a", 0, 2, 2}, {"b", 0, 2, 2}}, 0.0);
  const Schedule s = parse_schedule_json(R"({"starts": {"a": 0, "b": 0}, "z": {"a": 0, "b": 2}})",
                                         "s.json", p);
  CHECK(s.z == std::vector<double>{0, 2});
  CHECK(verify(p, s).legal);
  CHECK_THROWS_WITH_AS(
      parse_schedule_json(R"({"starts": {"a": 0, "b": 0}, "z": {"a": 0}})", "s.json", p),
      doctest::Contains("z: op 'b' has no start time in cycle"), InputError);
}
