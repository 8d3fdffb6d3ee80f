#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"
#include "graphs/library.hpp"

using namespace gaus;

namespace {

const std::string kData = GAUS_TEST_DATA_DIR;

std::string json_error(const std::string& text) {
  try {
    (void)read_native_json(text, "t.json").build();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Every field of two Problems but their source names, with the first difference reported.
void check_same_problem(const Problem& a, const Problem& b) {
  REQUIRE(a.num_ops() == b.num_ops());
  REQUIRE(a.num_edges() == b.num_edges());
  for (op_id i = 0; i < a.num_ops(); ++i) {
    CAPTURE(i);
    REQUIRE(a.name(i) == b.name(i));
  }
  CHECK(a.type_names == b.type_names);
  REQUIRE(a.resources.size() == b.resources.size());
  for (std::size_t r = 0; r < a.resources.size(); ++r) {
    CHECK(a.resources[r].name == b.resources[r].name);
    CHECK(a.resources[r].limit == b.resources[r].limit);
  }
  CHECK(a.op_type == b.op_type);
  CHECK(a.op_resource == b.op_resource);
  CHECK(a.latency == b.latency);
  CHECK(a.blocking == b.blocking);
  CHECK(a.weight == b.weight);
  CHECK(a.out_size == b.out_size);
  CHECK(a.succ_offsets == b.succ_offsets);
  CHECK(a.edge_src == b.edge_src);
  CHECK(a.edge_dst == b.edge_dst);
  CHECK(a.edge_delay == b.edge_delay);
  CHECK(a.edge_distance == b.edge_distance);
  CHECK(a.edge_weight == b.edge_weight);
  CHECK(a.pred_offsets == b.pred_offsets);
  CHECK(a.pred_edges == b.pred_edges);
  CHECK(a.topo_order == b.topo_order);
  CHECK(a.horizon == b.horizon);
  CHECK(a.ii == b.ii);
}

void check_round_trip(const Problem& p) {
  const std::string text = write_native_json(p);
  const Problem q = read_native_json(text, "round.json").build();
  validate(q);
  check_same_problem(p, q);
  CHECK(write_native_json(q) == text);
}

}  // namespace

TEST_CASE("json: the small fixture resolves units, latencies and delays") {
  const Problem p = read_native_json(read_file(kData + "/json_small.json"), "small.json").build();
  validate(p);
  REQUIRE(p.num_ops() == 5);
  REQUIRE(p.num_edges() == 5);
  CHECK(p.horizon == 8);
  CHECK(p.ii == 3);
  REQUIRE(p.resources.size() == 3);  // declared MUL and ADD, then "add" from the type of "sum"
  CHECK(p.resources[0].name == "MUL");
  CHECK(p.resources[0].limit == 1);
  CHECK(p.resources[1].name == "ADD");
  CHECK(p.resources[1].limit == kUnlimited);
  CHECK(p.resources[2].name == "add");
  CHECK(p.op_resource[0] == 0);
  CHECK(p.op_resource[2] == 2);
  CHECK(p.op_resource[3] == 1);
  CHECK(p.op_resource[4] == kNoResource);
  CHECK(p.latency[0] == 2);
  CHECK(p.blocking[0] == 2);
  CHECK(p.weight[1] == 2.5);
  CHECK(p.out_size[2] == 32);
  CHECK(p.latency[3] == 1);   // default
  CHECK(p.blocking[3] == 1);  // pipelined default
  CHECK(p.blocking[4] == 0);  // no unit
  // CSR by source a, b, sum, acc, acc
  CHECK(p.edge_delay[0] == 2);  // latency of a
  CHECK(p.edge_delay[1] == 3);  // absolute
  CHECK(p.edge_weight[2] == 4);
  CHECK(p.edge_distance[3] == 1);
  CHECK(p.edge_delay[4] == 0);
  CHECK(p.num_loop_carried() == 1);
}

TEST_CASE("json: write then read gives an identical Problem") {
  SUBCASE("fixture") {
    check_round_trip(read_native_json(read_file(kData + "/json_small.json"), "s.json").build());
  }
  SUBCASE("awkward names, weights and an empty problem") {
    ProblemBuilder b("w.json");
    const op_id x = b.add_op("quote\" back\\slash\nnew\ttab\x01 \xC3\xA9t\xC3\xA9", "t\"y");
    const op_id y = b.add_op("y", "");
    b.set_weight(x, 0.1);
    b.set_out_size(y, 1e300);
    b.set_unit(y, "U\\");
    b.add_edge({.src = x, .dst = y, .weight = 1.0 / 3});
    check_round_trip(b.build());
    check_round_trip(ProblemBuilder("empty").build());
  }
  namespace fs = std::filesystem;
  const fs::path data = GAUS_SHARED_DATA_DIR;
  SUBCASE("HatScheT MachSuite graph") {
    const fs::path g = data / "hatschet/MachSuite/aes2/graph4.graphml";
    if (!fs::exists(g)) {
      MESSAGE("skipped: " << g.string() << " not found");
      return;
    }
    check_round_trip(read_graph_file(g.string()).build());
  }
  SUBCASE("EXPRESS DOT graph with the EXPRESS type library") {
    const fs::path g = data / "express/ewf.dot";
    if (!fs::exists(g)) {
      MESSAGE("skipped: " << g.string() << " not found");
      return;
    }
    const TypeLibrary lib = load_library((data / "express/limits.json").string(), "ewf");
    check_round_trip(read_graph_file(g.string()).build(lib));
  }
}

// [scale]: run by the cpu_scale CTest entry, whose TIMEOUT is the complexity guard.
TEST_CASE("json: a large graph round-trips [scale]") {
  // 200k ops (the size of EPFL hyp) in a binary tree.
  const op_id n = 200000;
  ProblemBuilder b("big", true);
  b.reserve(n, static_cast<std::size_t>(n));
  for (op_id i = 0; i < n; ++i) b.add_op("n" + std::to_string(i), i % 3 == 0 ? "mul" : "add");
  for (op_id i = 1; i < n; ++i) b.add_edge({.src = i / 2, .dst = i, .delay = i % 2});
  const Problem p = b.build();
  const std::string text = write_native_json(p);
  const Problem q = read_native_json(text, "big.json").build();
  CHECK(q.num_edges() == p.num_edges());
  CHECK(q.edge_delay == p.edge_delay);
}

TEST_CASE("json: broken inputs are rejected with line, index and name") {
  CHECK(json_error("") .find("t.json:1: JSON syntax error:") == 0);
  CHECK(json_error("{\n  \"ops\": [\n    {\"name\": \"a\",}\n  ]\n}")
            .find("t.json:3: JSON syntax error:") == 0);
  CHECK(json_error("{\"ops\": [{\"name\": \"\xff\"}]}").find("JSON syntax error") !=
        std::string::npos);
  CHECK(json_error("{\"ops\": [{\"name\": \"a\",\n \"weight\": 1e999}]}") ==
        "t.json:2: JSON syntax error: number overflow parsing '1e999'");
  CHECK(json_error("[]") == "t.json:1: the top level must be an object, not an array");
  CHECK(json_error("{}") == "t.json: no \"ops\" array");
  CHECK(json_error("{\n\"opz\": []}") ==
        "t.json:2: unknown top-level key 'opz' (expected format, version, horizon, ii, cycle_time, "
        "resources, ops, edges, comment, note)");
  CHECK(json_error("{\"format\": \"other\", \"ops\": []}").find("\"format\" must be \"gaus\"") !=
        std::string::npos);
  CHECK(json_error("{\"version\": 2, \"ops\": []}") ==
        "t.json:1: \"version\": only version 1 is supported");
  CHECK(json_error("{\"ops\": [], \"ops\": []}") == "t.json:1: top-level key 'ops' given twice");
  CHECK(json_error("{\"horizon\": -1, \"ops\": []}") ==
        "t.json:1: \"horizon\" must be an integer >= 0");
  CHECK(json_error("{\"ops\": {}}") == "t.json:1: \"ops\" must be an array, not an object");
  CHECK(json_error("{\"ops\": [3]}") == "t.json:1: ops[0] must be an object, not an integer");
  CHECK(json_error("{\"resources\": {\"M\": -2}, \"ops\": []}") ==
        "t.json:1: \"resources\": class 'M': limit must be an integer >= -1 (-1 = unlimited)");
  const std::string ops = "{\n\"ops\": [\n{\"name\": \"a\"},\n";
  CHECK(json_error(ops + "{\"latncy\": 2, \"name\": \"b\"}]}") ==
        "t.json:4: ops[1] 'b': unknown key 'latncy' (expected name, type, unit, latency, "
        "blocking, weight, output_size, in_delay, out_delay)");
  CHECK(json_error(ops + "{\"name\": \"b\", \"latency\": \"2\"}]}") ==
        "t.json:4: ops[1] 'b': \"latency\" must be an integer >= 0, not a string");
  CHECK(json_error(ops + "{\"name\": \"b\", \"blocking\": -1}]}") ==
        "t.json:4: ops[1] 'b': \"blocking\" must be an integer >= 0, not -1");
  CHECK(json_error(ops + "{\"name\": \"b\", \"latency\": 2.5}]}").find("not a number") !=
        std::string::npos);
  CHECK(json_error(ops + "{\"name\": \"b\", \"weight\": [1]}]}") ==
        "t.json:4: ops[1] 'b': \"weight\" must be a number, not an array");
  CHECK(json_error(ops + "{\"type\": \"add\"}]}") == "t.json:4: ops[1]: missing \"name\"");
  CHECK(json_error(ops + "{\"name\": \"b\", \"name\": \"c\"}]}") ==
        "t.json:4: ops[1] 'c': key 'name' given twice");
  CHECK(json_error(ops + "{\"name\": \"a\"}]}").find("t.json:4: duplicate op name 'a'") == 0);
  CHECK(json_error(ops + "{\"name\": \"b\", \"weight\": -1}]}").find("weight") !=
        std::string::npos);
  CHECK(json_error("{\"resources\": {\"MUL\": 2},\n\"ops\": [{\"name\": \"a\"},\n"
                   "{\"name\": \"b\", \"unit\": \"MLU\"}]}") ==
        "t.json:3: ops[1] 'b': unit 'MLU' is not declared in \"resources\"");
  const std::string two = ops + "{\"name\": \"b\"}],\n\"edges\": [\n";
  CHECK(json_error(two + "{\"from\": \"a\", \"to\": \"b\"},\n{\"from\": \"a\", \"to\": \"zz\"}]}") ==
        "t.json:7: edges[1] 'a' -> 'zz': unknown op 'zz'");
  CHECK(json_error(two + "{\"from\": \"a\"}]}") == "t.json:6: edges[0] 'a' -> '': missing \"to\"");
  CHECK(json_error(two + "{\"from\": \"a\", \"to\": \"b\", \"dist\": 1}]}") ==
        "t.json:6: edges[0] 'a' -> 'b': unknown key 'dist' (expected from, to, delay, distance, "
        "weight, auxiliary)");
  CHECK(json_error(two + "{\"from\": \"a\", \"to\": \"b\", \"distance\": -1}]}") ==
        "t.json:6: edges[0] 'a' -> 'b': \"distance\" must be an integer >= 0, not -1");
  CHECK(json_error(two + "{\"from\": \"b\", \"to\": \"a\"}, {\"from\": \"a\", \"to\": \"b\"}]}")
            .find("cycle") != std::string::npos);
}

TEST_CASE("json: edges may precede ops, comments are skipped, integral floats are integers") {
  const Problem p = read_native_json(R"({
    "comment": {"nested": [1, {"deep": [[], {}]}], "x": null},
    "edges": [{"from": "a", "to": "b", "delay": 4.0}],
    "note": "free text",
    "ops": [{"name": "a", "latency": 3.0, "type": null}, {"name": "b", "unit": null}]
  })", "t.json").build();
  REQUIRE(p.num_edges() == 1);
  CHECK(p.edge_delay[0] == 4);
  CHECK(p.latency[0] == 3);
  CHECK(p.op_resource[0] == kNoResource);
  CHECK(p.op_resource[1] == kNoResource);
  CHECK(json_error(R"({"edges": [{"from": "a", "to": "q"}], "ops": [{"name": "a"}]})") ==
        "t.json:1: edges[0] 'a' -> 'q': unknown op 'q'");
}

TEST_CASE("json: the writer refuses names JSON cannot hold") {
  ProblemBuilder b("bad");
  b.add_op("bad\xff", "add");
  const Problem p = b.build();
  CHECK_THROWS_AS((void)write_native_json(p), InputError);
}
