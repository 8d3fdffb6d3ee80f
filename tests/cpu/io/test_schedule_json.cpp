#include <doctest/doctest.h>

#include "core/error.hpp"
#include "graphs/builder.hpp"
#include "graphs/schedule_json.hpp"

using namespace gaus;

namespace {
Problem two_ops() {
  ProblemBuilder b("p.dot");
  const op_id a = b.add_op("a", "add");
  const op_id c = b.add_op("c", "add");
  b.add_edge({.src = a, .dst = c});
  return b.build();
}
}  // namespace

TEST_CASE("schedule_json: round trip and fields") {
  const Problem p = two_ops();
  Schedule s;
  s.start = {0, 4};
  s.horizon = 6;
  s.ii = 2;
  nlohmann::ordered_json j;
  j["starts"] = starts_to_json(p, s);
  j["horizon"] = 6;
  j["ii"] = 2;
  j["legal"] = true;  // ignored on input
  const Schedule r = parse_schedule_json(j.dump(), "s.json", p);
  CHECK(r.start == s.start);
  CHECK(r.horizon == 6);
  CHECK(r.ii == 2);
}

TEST_CASE("schedule_json: errors name the op") {
  const Problem p = two_ops();
  CHECK_THROWS_WITH_AS(parse_schedule_json(R"({"starts": {"a": 0}})", "s.json", p),
                       "s.json: starts: op 'c' has no start step", InputError);
  CHECK_THROWS_WITH_AS(parse_schedule_json(R"({"starts": {"a": 0, "c": 1, "zz": 2}})", "s.json", p),
                       "s.json: starts: op 'zz' is not in p.dot", InputError);
  CHECK_THROWS_WITH_AS(parse_schedule_json(R"({"starts": {"a": 0, "c": 1.5}})", "s.json", p),
                       "s.json: starts: op 'c': expected an integer step, got number", InputError);
  CHECK_THROWS_WITH_AS(parse_schedule_json(R"({"start": {}})", "s.json", p),
                       "s.json: missing \"starts\" object {\"<op name>\": step, ...}", InputError);
  CHECK_THROWS_AS(parse_schedule_json(R"({"starts": {"a": 0, "c": 1}, "ii": -1})", "s.json", p),
                  InputError);
  CHECK_THROWS_AS(parse_schedule_json(R"({"starts": {"a": 0, "c": 99999999999}})", "s.json", p),
                  InputError);
  CHECK_THROWS_AS(parse_schedule_json("[1, 2", "s.json", p), InputError);
}
