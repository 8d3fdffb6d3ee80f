#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"

#include "tests/cpu/small_graphs.hpp"

using namespace gaus;
using namespace gaus::test;

namespace {

/// The edge i -> j by op names, or -1.
edge_id find_edge(const Problem& p, std::string_view src, std::string_view dst) {
  for (edge_id e = 0; e < p.num_edges(); ++e)
    if (p.name(p.edge_src[e]) == src && p.name(p.edge_dst[e]) == dst) return e;
  return -1;
}

std::string type_of(const Problem& p, op_id i) {
  return p.op_type[i] < 0 ? std::string() : p.type_names[p.op_type[i]];
}

}  // namespace

TEST_CASE("read_dot: hand-made fixture with the accepted subset") {
  const Problem p = read_dot(read_file(GAUS_TEST_DATA_DIR "/dot_small.dot"), "dot_small.dot").build();
  validate(p);
  REQUIRE(p.num_ops() == 7);
  const char* names[] = {"a", "b c", "1.5", "-2", "x", "y", "d"};
  const char* types[] = {"mul", "add", "sub", "sp\"ecial", "concat", "html", ""};
  for (op_id i = 0; i < 7; ++i) {
    CAPTURE(i);
    CHECK(p.name(i) == names[i]);
    CHECK(type_of(p, i) == types[i]);
  }
  CHECK(p.latency[0] == 3);
  CHECK(p.weight[0] == 2.5);
  CHECK(p.out_size[0] == 16.0);
  CHECK(p.latency[1] == 1);  // no latency attribute: the default
  CHECK(p.op_resource[6] == kNoResource);
  REQUIRE(p.num_edges() == 6);
  const edge_id ab = find_edge(p, "a", "b c"), bc = find_edge(p, "b c", "1.5");
  const edge_id ax = find_edge(p, "a", "x"), da = find_edge(p, "d", "a");
  REQUIRE((ab >= 0 && bc >= 0 && ax >= 0 && da >= 0));
  CHECK(find_edge(p, "1.5", "d") >= 0);
  CHECK(find_edge(p, "-2", "d") >= 0);
  CHECK(p.edge_delay[ab] == 3 + 1);  // delay attribute added to the source's latency
  CHECK(p.edge_delay[bc] == 1 + 1);  // a chain's attributes apply to each of its edges
  CHECK(p.edge_delay[ax] == 3);
  CHECK(p.edge_weight[ax] == 4.0);
  CHECK(p.edge_distance[da] == 2);
  CHECK(p.num_loop_carried() == 1);
}

TEST_CASE("read_dot: undirected graphs, empty graphs, separators") {
  const Problem g = read_dot("graph { a [label=x] b [label=x] a -- b }", "u.dot").build();
  CHECK(g.num_edges() == 1);
  CHECK(g.name(g.edge_src[0]) == "a");
  CHECK(read_dot("digraph{}", "e.dot").num_ops() == 0);
  CHECK(read_dot("DiGraph G {;;a;b;a->b;}", "s.dot").num_edges() == 1);
  CHECK(read_dot("digraph { a [label=\"multi\\\nline\"] }", "c.dot").build().type_names[0] ==
        "multiline");
}

TEST_CASE("read_dot: broken inputs name the line and the culprit") {
  CHECK(dot_error("digraph {\n a [label = \"mul] }") ==
        "t.dot:2: unterminated string (no closing '\"')");
  CHECK(dot_error("digraph {\n /* comment\n}") == "t.dot:2: unterminated comment '/*'");
  CHECK(dot_error("digraph {\n a [label=x];\n") ==
        "t.dot:3: missing '}' (the graph opened at line 1 is never closed)");
  CHECK(dot_error("digraph {\n a [label=x]\n a -> ;\n}") ==
        "t.dot:3: edge from 'a': expected a target op after '->', found ';'");
  CHECK(dot_error("digraph {\n a [label=x]\n a -> }") ==
        "t.dot:3: edge from 'a': expected a target op after '->', found '}'");
  CHECK(dot_error("digraph {\n 3 [label=add]\n 3 -> 99\n}") ==
        "t.dot:3: edge '3' -> '99': unknown op '99' (no node statement declares it)");
  CHECK(dot_error("digraph {\n 3 -> 4 [name=1]\n 4 [label=add]\n}") ==
        "t.dot:2: edge '3' -> '4': unknown op '3' (no node statement declares it)");
  CHECK(dot_error("digraph {\n a [label=add]\n a [label=mul]\n}") ==
        "t.dot:3: node 'a': conflicting label 'mul' (the node, first declared at line 2, "
        "already has label 'add')");
  CHECK(dot_error("digraph {\n a [latency=1]\n a [latency=2]\n}")
            .find("t.dot:3: node 'a': conflicting latency '2'") == 0);
  CHECK(dot_error("digraph {\n a [label=x]\n a -> { b }\n}") ==
        "t.dot:3: edge from 'a': a subgraph as an edge's end is not supported (write one edge "
        "per op)");
  CHECK(dot_error("digraph {\n a [label=x] b [label=x]\n a -- b\n}") ==
        "t.dot:3: '--' in a digraph (use '->')");
  CHECK(dot_error("graph { a -> b }") == "t.dot:1: '->' in an undirected graph (use '--')");
  CHECK(dot_error("network { }") == "t.dot:1: expected 'digraph' or 'graph', found 'network'");
  CHECK(dot_error("\"digraph\" { }") ==
        "t.dot:1: expected 'digraph' or 'graph', found \"digraph\"");
  CHECK(dot_error("digraph G a") == "t.dot:1: expected '{', found 'a'");
  CHECK(dot_error("") == "t.dot:1: expected 'digraph' or 'graph', found end of file");
  CHECK(dot_error("digraph { }\ndigraph { }") ==
        "t.dot:2: unexpected 'digraph' after the graph's closing '}' (one graph per file)");
  CHECK(dot_error("digraph {\n a [latency = x]\n}") ==
        "t.dot:2: attribute latency = 'x' is not a 32-bit integer");
  CHECK(dot_error("digraph {\n a [latency = 99999999999]\n}") ==
        "t.dot:2: attribute latency = '99999999999' is not a 32-bit integer");
  CHECK(dot_error("digraph {\n a [weight = -1]\n}") ==
        "t.dot:2: attribute weight = -1 is negative");
  CHECK(dot_error("digraph {\n a [weight = \"inf\"]\n}") ==
        "t.dot:2: attribute weight = 'inf' is not a finite number");
  CHECK(dot_error("digraph {\n a [x=1] b [x=1]\n a -> b [distance = -1]\n}") ==
        "t.dot:3: attribute distance = -1 is negative");
  CHECK(dot_error("digraph {\n node [label = add]\n}") ==
        "t.dot:2: default attribute 'label' in 'node [...]' is not supported; give each node "
        "its own");
  CHECK(dot_error("digraph {\n edge [delay = 1]\n}").find("t.dot:2: default attribute 'delay'") ==
        0);
  CHECK(dot_error("digraph {\n node\n}") == "t.dot:2: expected '[' after 'node', found '}'");
  CHECK(dot_error("digraph {\n a [label]\n}") ==
        "t.dot:2: attribute 'label': expected '=', found ']'");
  CHECK(dot_error("digraph {\n a [label = ]\n}") ==
        "t.dot:2: attribute 'label': expected a value, found ']'");
  CHECK(dot_error("digraph {\n a [label = x\n") ==
        "t.dot:2: unterminated attribute list (no closing ']')");
  CHECK(dot_error("digraph {\n 1a [label = x]\n}") ==
        "t.dot:2: badly delimited number '1' (put a space or quotes)");
  CHECK(dot_error("digraph {\n a @ b\n}") == "t.dot:2: unexpected character '@'");
  CHECK(dot_error("digraph {\n a [label = <b <i>x</i>]\n}") ==
        "t.dot:2: unterminated HTML string (no closing '>')");
  CHECK(dot_error("digraph {\n rankdir = \n}") ==
        "t.dot:3: graph attribute 'rankdir': expected a value, found '}'");
  CHECK(dot_error("digraph {\n a [label = \"x\" + y]\n}") ==
        "t.dot:2: expected a quoted string after '+'");
  // the builder's checks keep the reader's line numbers
  CHECK(dot_error("digraph {\n a [label=x] b [label=x]\n a -> b [delay = -5]\n}") ==
        "t.dot:3: edge 'a' -> 'b': negative delay -4");
  CHECK(dot_error("digraph {\n a [label=x] b [label=x]\n a -> b -> a\n}").find("cycle") !=
        std::string::npos);
}

TEST_CASE("read_dot: hal.dot in full") {
  const std::string path = GAUS_SHARED_DATA_DIR "/express/hal.dot";
  if (!std::filesystem::exists(path)) {
    MESSAGE("skipped: no " << path);
    return;
  }
  const ProblemBuilder b = read_dot(read_file(path), "hal.dot");
  TypeLibrary lib;  // the EXPRESS convention: mul on a 2-cycle MUL unit
  lib.unit_class["mul"] = "MUL";
  lib.latency["MUL"] = 2;
  const Problem p = b.build(lib);
  validate(p);
  CHECK(p.num_ops() == 11);
  CHECK(p.num_edges() == 8);
  const char* types[] = {"mul", "mul", "mul", "sub", "sub", "mul",
                         "mul", "mul", "add", "add", "les"};
  for (op_id i = 0; i < 11; ++i) {
    CAPTURE(i);
    CHECK(p.name(i) == std::to_string(i + 1));
    CHECK(type_of(p, i) == types[i]);
  }
  CHECK(p.edge_delay[find_edge(p, "1", "3")] == 2);  // from a mul
  CHECK(p.edge_delay[find_edge(p, "4", "5")] == 1);  // from a sub
  CHECK(p.edge_delay[find_edge(p, "10", "11")] == 1);
  CHECK(p.resources[p.op_resource[0]].name == "MUL");
}

TEST_CASE("read_dot: every EXPRESS graph loads and builds") {
  const std::filesystem::path dir = GAUS_SHARED_DATA_DIR "/express";
  if (!std::filesystem::is_directory(dir)) {
    MESSAGE("skipped: no " << dir.string());
    return;
  }
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".dot") continue;
    ++files;
    CAPTURE(entry.path().string());
    const std::string text = read_file(entry.path().string());
    // these files hold one node or edge statement per line: count them independently
    long nodes = 0, edges = 0;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.find("->") != std::string::npos)
        ++edges;
      else if (line.find("label") != std::string::npos)
        ++nodes;
    }
    const Problem p = read_dot(text, entry.path().filename().string()).build();
    validate(p);
    CHECK(p.num_ops() == nodes);
    CHECK(p.num_edges() == edges);
  }
  CHECK(files == 23);
}
