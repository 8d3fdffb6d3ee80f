#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"
#include "graphs/library.hpp"

using namespace gaus;

namespace {

const std::string kData = GAUS_TEST_DATA_DIR;

// Ops (name, type, latency) and edges (names, delay, distance, weight) of both problems agree.
void check_same_graph(const Problem& a, const Problem& b, bool types = true) {
  REQUIRE(a.num_ops() == b.num_ops());
  REQUIRE(a.num_edges() == b.num_edges());
  for (op_id i = 0; i < a.num_ops(); ++i) {
    CAPTURE(i);
    CHECK(a.name(i) == b.name(i));
    CHECK(a.latency[i] == b.latency[i]);
    CHECK(a.blocking[i] == b.blocking[i]);
    CHECK(a.weight[i] == b.weight[i]);
    CHECK(a.out_size[i] == b.out_size[i]);
    if (types) {
      REQUIRE((a.op_type[i] < 0) == (b.op_type[i] < 0));
      if (a.op_type[i] >= 0) CHECK(a.type_names[a.op_type[i]] == b.type_names[b.op_type[i]]);
    }
  }
  CHECK(a.edge_src == b.edge_src);
  CHECK(a.edge_dst == b.edge_dst);
  CHECK(a.edge_delay == b.edge_delay);
  CHECK(a.edge_distance == b.edge_distance);
  CHECK(a.edge_weight == b.edge_weight);
}

Problem from_json_fixture() {
  return read_native_json(read_file(kData + "/json_small.json"), "small.json").build();
}

}  // namespace

TEST_CASE("writers: write_dot output reads back through read_dot") {
  SUBCASE("fixture: absolute delays, a loop-carried edge, weights, an op with no type") {
    const Problem p = from_json_fixture();
    const std::string dot = write_dot(p);
    CHECK(dot.starts_with("digraph small {\n"));
    CHECK(dot.find("  b [label = mul, latency = 2, blocking = 2, weight = \"2.5\"];\n") !=
          std::string::npos);  // non-pipelined: holds its MUL unit both cycles
    CHECK(dot.find("  b -> sum [delay = 1];\n") != std::string::npos);  // lambda 3 = 2 + 1
    check_same_graph(p, read_dot(dot, "back.dot").build());
  }
  SUBCASE("names that need quotes and escapes") {
    ProblemBuilder b("odd names.json");
    const op_id x = b.add_op("has \"quotes\" and \\", "my type");
    const op_id y = b.add_op("node", "");  // a DOT keyword
    const op_id z = b.add_op("-12", "x\\");
    b.add_edge({.src = x, .dst = y, .delay = 0, .adds_latency = false});
    b.add_edge({.src = y, .dst = z, .weight = 1e-7});
    const Problem p = b.build();
    const std::string dot = write_dot(p);
    CHECK(dot.starts_with("digraph \"odd names\" {\n"));
    check_same_graph(p, read_dot(dot, "back.dot").build());
  }
  SUBCASE("EXPRESS graph") {
    namespace fs = std::filesystem;
    const fs::path data = GAUS_SHARED_DATA_DIR;
    const fs::path g = data / "express/hal.dot";
    if (!fs::exists(g)) {
      MESSAGE("skipped: " << g.string() << " not found");
      return;
    }
    const TypeLibrary lib = load_library((data / "express/limits.json").string(), "hal");
    const Problem p = read_graph_file(g.string()).build(lib);
    check_same_graph(p, read_dot(write_dot(p), "back.dot").build());
  }
}

TEST_CASE("writers: a scheduled DOT labels ops with their steps and ranks them by step") {
  const Problem p = from_json_fixture();
  Schedule s;
  s.start = {0, 2, 5, 6, 6};
  const std::string dot = write_dot(p, &s);
  CHECK(dot.find("  sum [label = \"sum\\nadd @ 5\", type = add, latency = 1, "
                 "output_size = \"32\"];\n") != std::string::npos);
  CHECK(dot.find("  out [label = \"out\\n@ 6\", type = \"\", latency = 1];\n") !=
        std::string::npos);

  // One rank group per step, in step order, holding exactly that step's ops.
  std::istringstream lines(dot);
  std::string line, rest;
  std::vector<std::string> groups;
  while (std::getline(lines, line)) {
    if (line.starts_with("  {rank = same;")) groups.push_back(line);
    else rest += line + "\n";
  }
  CHECK(groups == std::vector<std::string>{"  {rank = same; a;}", "  {rank = same; b;}",
                                           "  {rank = same; sum;}", "  {rank = same; acc; out;}"});
  // The rank groups and the step labels change nothing when read back: the `type` attributes
  // keep the types, and the graph without its rank groups reads the same.
  check_same_graph(p, read_dot(dot, "back.dot").build());
  check_same_graph(p, read_dot(rest, "back.dot").build());

  Schedule wrong;
  wrong.start = {0, 1};
  CHECK_THROWS_AS((void)write_dot(p, &wrong), InputError);
}

TEST_CASE("writers: empty problems") {
  const Problem p = ProblemBuilder("").build();
  CHECK(write_dot(p) == "digraph gaus {\n  // 0 ops, 0 edges\n}\n");
  Schedule s;
  CHECK(write_dot(p, &s).find("{rank") == std::string::npos);
  CHECK(read_native_json(write_native_json(p), "e.json").build().num_ops() == 0);
}
