// read_dot on subgraph blocks, and the scheduled DOT of write_dot read back as the same problem.
#include <doctest/doctest.h>

#include <string>

#include "core/error.hpp"
#include "graphs/builder.hpp"
#include "graphs/formats.hpp"
#include "graphs/generate.hpp"

#include "tests/cpu/small_graphs.hpp"

using namespace gaus;
using namespace gaus::test;

namespace {

std::string type_of(const Problem& p, op_id i) {
  return p.op_type[i] < 0 ? std::string() : p.type_names[p.op_type[i]];
}

/// write_dot with a schedule, read back: the same problem, compared through the native JSON.
void check_scheduled_round_trip(const Problem& p) {
  Schedule s;
  for (op_id i = 0; i < p.num_ops(); ++i) s.start.push_back(static_cast<std::int32_t>(i % 5));
  const std::string dot = write_dot(p, &s);
  REQUIRE(dot.find("{rank = same;") != std::string::npos);
  const Problem back = read_dot(dot, "back.dot").build();
  CHECK(write_native_json(back) == write_native_json(p));
}

}  // namespace

TEST_CASE("read_dot subgraph: blocks hold ordinary statements, their attributes are ignored") {
  const Problem p = read_dot(R"(digraph G {
    subgraph cluster_0 {
      label = "stage 0"; node [shape = box]; color = blue
      a [label = add]
      b [label = mul, latency = 2]
      a -> b [delay = 1]
    }
    { rank = same; a; b; }
    subgraph { subgraph inner { c [label = add] } {} }
    SUBGRAPH "quoted name" { d }
    b -> c
    c -> d
  })",
                            "s.dot")
                        .build();
  REQUIRE(p.num_ops() == 4);
  const char* names[] = {"a", "b", "c", "d"};
  const char* types[] = {"add", "mul", "add", ""};
  for (op_id i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(p.name(i) == names[i]);
    CHECK(type_of(p, i) == types[i]);
  }
  CHECK(p.latency[1] == 2);
  REQUIRE(p.num_edges() == 3);
  CHECK(p.edge_delay[0] == 1 + 1);  // a -> b: a's latency plus the delay attribute
  CHECK(p.name(p.edge_src[2]) == "c");
  CHECK(p.name(p.edge_dst[2]) == "d");
}

TEST_CASE("read_dot subgraph: nesting is not recursion") {
  // 200,000 nested blocks would overflow the stack of a recursive parser.
  const std::size_t depth = 200000;
  std::string text = "digraph {\n";
  text.append(depth, '{');
  text += " a [label = x] ";
  text.append(depth, '}');
  text += "\n}\n";
  const Problem p = read_dot(text, "deep.dot").build();
  CHECK(p.num_ops() == 1);
  // without the graph's closing brace
  text.pop_back();
  text.pop_back();
  CHECK(dot_error(text) == "t.dot:3: missing '}' (the graph opened at line 1 is never closed)");
  CHECK(dot_error("digraph {\n { a\n}") ==
        "t.dot:3: missing '}' (the graph opened at line 1 is never closed)");
  CHECK(dot_error("digraph {\n subgraph s {\n a\n") ==
        "t.dot:4: missing '}' (the subgraph opened at line 2 is never closed)");
}

TEST_CASE("read_dot subgraph: broken subgraphs name the line") {
  CHECK(dot_error("digraph {\n subgraph s a\n}") == "t.dot:2: subgraph: expected '{', found 'a'");
  CHECK(dot_error("digraph {\n subgraph\n}") == "t.dot:3: subgraph: expected '{', found '}'");
  CHECK(dot_error("digraph {\n a [label=x]\n a -> subgraph s { b }\n}") ==
        "t.dot:3: edge from 'a': a subgraph as an edge's end is not supported (write one edge "
        "per op)");
  CHECK(dot_error("digraph {\n { a b }\n -> c\n}") ==
        "t.dot:3: a subgraph as an edge's end is not supported (write one edge per op)");
  CHECK(dot_error("digraph {\n subgraph s { node [label = add] a }\n}") ==
        "t.dot:2: default attribute 'label' in 'node [...]' is not supported; give each node "
        "its own");
  CHECK(dot_error("digraph {\n subgraph s { a [label = add] }\n a [label = mul]\n}")
            .find("t.dot:3: node 'a': conflicting label 'mul'") == 0);
  CHECK(dot_error("digraph {\n } }") ==
        "t.dot:2: unexpected '}' after the graph's closing '}' (one graph per file)");
}

TEST_CASE("read_dot subgraph: a `type` attribute is the type, over the label") {
  const Problem p = read_dot("digraph { a [label = \"a\\n@ 3\", type = mul] b [label = \"b\", "
                             "type = \"\"] c [type = add] }",
                             "t.dot")
                        .build();
  CHECK(type_of(p, 0) == "mul");
  CHECK(p.op_type[1] < 0);
  CHECK(type_of(p, 2) == "add");
  CHECK(dot_error("digraph {\n a [type = x]\n a [type = y]\n}")
            .find("t.dot:3: node 'a': conflicting type 'y'") == 0);
  CHECK(dot_error("digraph {\n node [type = x]\n}").find("default attribute 'type'") !=
        std::string::npos);
}

TEST_CASE("read_dot subgraph: a scheduled DOT reads back the same problem") {
  SUBCASE("hand-made: odd names, an untyped op, weights, a loop-carried edge") {
    ProblemBuilder b("odd.json");
    const op_id x = b.add_op("has \"quotes\" and \\", "my type");
    const op_id y = b.add_op("node", "");  // a DOT keyword, and no type
    const op_id z = b.add_op("-12", "add");
    const op_id w = b.add_op("w", "my type");
    b.set_latency(x, 3);
    b.set_weight(z, 2.5);
    b.set_out_size(w, 0.125);
    b.add_edge({.src = x, .dst = y, .delay = 0, .adds_latency = false});
    b.add_edge({.src = y, .dst = z, .weight = 1e-7});
    b.add_edge({.src = z, .dst = w, .delay = 2});
    b.add_edge({.src = w, .dst = x, .distance = 2});
    check_scheduled_round_trip(b.build());
  }
  SUBCASE("generated: 500 ops, one unlimited class, loop-carried edges") {
    GenerateOptions o;
    o.ops = 500;
    o.num_classes = 1;
    o.class_limit = -1;
    o.max_latency = 3;
    o.loop_carried = 0.05;
    check_scheduled_round_trip(generate_layered(o));
  }
}
