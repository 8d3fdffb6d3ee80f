#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"

using namespace gaus;

namespace {

const std::string kData = GAUS_TEST_DATA_DIR;

// The InputError message of `f`, or "" when it throws none.
template <class F>
std::string graphml_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const char* const kRm = R"(<ModelInformation><Resources>
  <Resource name="alu" latency="1" blockingTime="1" limit="2"/>
  <Resource name="wire" latency="0" blockingTime="0" limit="-1"/>
</Resources></ModelInformation>)";

// A graph with nodes a (alu) and b (wire) and one edge, with `edge_data` inside the edge.
std::string two_nodes(const std::string& edge_data, const std::string& target = "b") {
  return "<graphml><graph>\n"
         "<node id=\"a\"><data key=\"uses_resource\">alu</data></node>\n"
         "<node id=\"b\"><data key=\"uses_resource\">wire</data></node>\n"
         "<edge source=\"a\" target=\"" + target + "\">" + edge_data + "</edge>\n"
         "</graph></graphml>\n";
}

std::string graphml_fail(const std::string& graph, const std::string& rm = kRm) {
  return graphml_error([&] { (void)read_graphml(graph, "g.graphml", rm, "g_RM.xml").build(); });
}

}  // namespace

TEST_CASE("graphml: the small fixture gives resource latencies, blocking times and limits") {
  const std::string g = read_file(kData + "/graphml_small.graphml");
  const std::string rm = read_file(kData + "/graphml_small_RM.xml");
  const Problem p = read_graphml(g, "small.graphml", rm, "small_RM.xml").build();
  validate(p);
  REQUIRE(p.num_ops() == 3);
  REQUIRE(p.num_edges() == 3);
  CHECK(p.name(0) == "ld");
  CHECK(p.name(1) == "add");
  CHECK(p.type_names[p.op_type[0]] == "mem_read");
  CHECK(p.latency[0] == 2);
  CHECK(p.blocking[0] == 1);
  CHECK(p.resources[p.op_resource[0]].name == "mem_read");
  CHECK(p.resources[p.op_resource[0]].limit == 2);
  CHECK(p.resources[p.op_resource[1]].name == "plus");  // data text is trimmed
  CHECK(p.latency[1] == 0);
  CHECK(p.blocking[1] == 0);
  CHECK(p.resources[p.op_resource[1]].limit == kUnlimited);
  CHECK(p.resources[p.op_resource[2]].limit == 1);
  CHECK(p.resources.size() == 3);  // the RM's unused class is not declared
  // lambda = latency(src) + delay; CSR order is by source: ld, add, st
  CHECK(p.edge_delay[0] == 2);
  CHECK(p.edge_delay[1] == 0 + 1);
  CHECK(p.edge_delay[2] == 1);
  CHECK(p.edge_distance[2] == 2);
  CHECK(p.num_loop_carried() == 1);
}

TEST_CASE("graphml: <key> declarations map data ids to attribute names") {
  const std::string g = R"(<?xml version="1.0"?>
<graphml><key id="d0" for="node" attr.name="uses_resource" attr.type="string"/>
<key id="d1" for="edge" attr.name="delay"/><key id="d2" for="edge" attr.name="distance"/>
<graph edgedefault="directed">
  <edge source="x" target="y"><data key="d1">0</data><data key="d2">1</data></edge>
  <node id="x"><data key="d0">alu</data></node><node id="y"><data key="d0">alu</data></node>
</graph></graphml>)";
  const Problem p = read_graphml(g, "k.graphml", kRm, "k_RM.xml").build();
  REQUIRE(p.num_edges() == 1);  // the edge came before its nodes
  CHECK(p.edge_delay[0] == 1);
  CHECK(p.edge_distance[0] == 1);
}

TEST_CASE("graphml: broken inputs are rejected with file, line and culprit") {
  SUBCASE("malformed XML") {
    const std::string msg = graphml_fail("<graphml><graph>\n<node id=\"a\">\n</graph></graphml>");
    CHECK(msg == "g.graphml:3: end tag </graph> does not match <node> opened at line 2");
    CHECK(graphml_fail("<graphml><graph>\n<node id=\"a\"").find("g.graphml:2: unterminated") == 0);
    CHECK(graphml_fail("<graphml><graph></graph></graphml>\n<x/>").find("second root") !=
          std::string::npos);
    CHECK(graphml_fail("").find("g.graphml:1: no root element") == 0);
    CHECK(graphml_fail("<graphml a=\"1\" a=\"2\"/>").find("duplicate attribute 'a'") !=
          std::string::npos);
    CHECK(graphml_fail("<graphml>&bogus;</graphml>").find("unknown entity '&bogus;'") !=
          std::string::npos);
    CHECK(graphml_fail("<graphml><!-- never closed").find("unterminated comment") !=
          std::string::npos);
  }
  SUBCASE("not GraphML") {
    CHECK(graphml_fail("<html/>") == "g.graphml:1: root element <html> is not <graphml>");
    CHECK(graphml_fail("<graphml/>") == "g.graphml: no <graph> element");
  }
  SUBCASE("unknown resource") {
    const std::string g = "<graphml><graph>\n\n<node id=\"m\"><data key=\"uses_resource\">mul"
                          "</data></node></graph></graphml>";
    CHECK(graphml_fail(g) == "g.graphml:3: node 'm': resource 'mul' is not in g_RM.xml");
  }
  SUBCASE("node without an id or uses_resource") {
    CHECK(graphml_fail("<graphml><graph><node id=\"\"/></graph></graphml>") ==
          "g.graphml:1: <node> without an id");
    CHECK(graphml_fail("<graphml><graph><node id=\"m\"/></graph></graphml>") ==
          "g.graphml:1: node 'm': no <data key=\"uses_resource\">");
  }
  SUBCASE("edge to an unknown node") {
    const std::string msg = graphml_fail(
        two_nodes("<data key=\"delay\">0</data><data key=\"distance\">0</data>", "zz"));
    CHECK(msg == "g.graphml:4: edge 'a' -> 'zz': unknown target node 'zz'");
  }
  SUBCASE("bad, negative, missing or repeated delay and distance") {
    const std::string dist = "<data key=\"distance\">0</data>";
    CHECK(graphml_fail(two_nodes("<data key=\"delay\">x</data>" + dist)) ==
          "g.graphml:4: edge 'a' -> 'b': delay 'x' is not an integer");
    CHECK(graphml_fail(two_nodes("<data key=\"delay\">1.5</data>" + dist)) ==
          "g.graphml:4: edge 'a' -> 'b': delay '1.5' is not an integer");
    CHECK(graphml_fail(two_nodes("<data key=\"delay\">-1</data>" + dist)) ==
          "g.graphml:4: edge 'a' -> 'b': delay -1 is negative");
    CHECK(graphml_fail(two_nodes("<data key=\"delay\">99999999999</data>" + dist))
              .find("is not an integer") != std::string::npos);
    CHECK(graphml_fail(two_nodes(dist)) == "g.graphml:4: edge 'a' -> 'b': no <data key=\"delay\">");
    CHECK(graphml_fail(two_nodes("<data key=\"delay\">0</data>")) ==
          "g.graphml:4: edge 'a' -> 'b': no <data key=\"distance\">");
    CHECK(graphml_fail(two_nodes("<data key=\"delay\">0</data><data key=\"distance\">-2</data>")) ==
          "g.graphml:4: edge 'a' -> 'b': distance -2 is negative");
    CHECK(graphml_fail(two_nodes("<data key=\"delay\">0</data><data key=\"delay\">0</data>"))
              .find("given twice") != std::string::npos);
  }
  SUBCASE("broken resource model") {
    const std::string g = two_nodes("<data key=\"delay\">0</data><data key=\"distance\">0</data>");
    CHECK(graphml_fail(g, "<ModelInformation><Resource name=\"alu\" latency=\"1\" limit=\"1\"/>"
                          "</ModelInformation>") ==
          "g_RM.xml:1: resource 'alu': missing attribute 'blockingTime'");
    CHECK(graphml_fail(g, "<ModelInformation>\n<Resource name=\"alu\" latency=\"1\" "
                          "blockingTime=\"1\" limit=\"-3\"/></ModelInformation>") ==
          "g_RM.xml:2: resource 'alu': limit -3 is below -1");
    CHECK(graphml_fail(g, "<graphml/>").find("is not <ModelInformation>") != std::string::npos);
  }
  SUBCASE("a distance-0 cycle is caught when building") {
    const std::string g = "<graphml><graph>"
                          "<node id=\"a\"><data key=\"uses_resource\">alu</data></node>"
                          "<edge source=\"a\" target=\"a\"><data key=\"delay\">0</data>"
                          "<data key=\"distance\">0</data></edge></graph></graphml>";
    CHECK(graphml_fail(g).find("'a'") != std::string::npos);
  }
}

TEST_CASE("graphml: deep nesting and odd markup do not crash the XML reader") {
  std::string deep = "<graphml><graph>";
  for (int k = 0; k < 100000; ++k) deep += "<x>";
  CHECK(graphml_fail(deep).find("is not closed") != std::string::npos);
  const std::string odd = R"(<?xml version="1.0"?><!DOCTYPE graphml [<!ELEMENT a "x>y">]>
<graphml><graph><node id="n&#x31;&lt;"><data key="uses_resource"><![CDATA[alu]]></data></node>
</graph></graphml>)";
  const Problem p = read_graphml(odd, "o.graphml", kRm, "o_RM.xml").build();
  CHECK(p.name(0) == "n1<");
}

TEST_CASE("graphml: every HatScheT MachSuite graph loads, builds and validates") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(GAUS_SHARED_DATA_DIR) / "hatschet" / "MachSuite";
  if (!fs::is_directory(dir)) {
    MESSAGE("skipped: " << dir.string() << " not found");
    return;
  }
  int graphs = 0, without_rm = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".graphml") continue;
    const fs::path rm = entry.path().parent_path() / (entry.path().stem().string() + "_RM.xml");
    if (!fs::exists(rm)) {  // none lack one today; skip rather than fail if one appears
      MESSAGE("no resource model for " << entry.path().string());
      ++without_rm;
      continue;
    }
    CAPTURE(entry.path().string());
    ReadOptions o;
    const Problem p = read_graph_file(entry.path().string(), o).build();
    CHECK_NOTHROW(validate(p));
    CHECK(p.num_ops() > 0);
    ++graphs;
  }
  CHECK(graphs == 91);
  CHECK(without_rm == 0);

  // bfs_queue/graph1, counted independently (grep, and Python's ElementTree for the sums).
  const std::string g = (dir / "bfs_queue" / "graph1.graphml").string();
  const Problem p = read_graph_file(g).build();
  CHECK(p.num_ops() == 104);
  CHECK(p.num_edges() == 173);
  CHECK(p.num_loop_carried() == 7);
  CHECK(p.resources.size() == 15);
  std::int64_t sum_lambda = 0, sum_latency = 0, sum_blocking = 0, mem_reads = 0;
  for (edge_id e = 0; e < p.num_edges(); ++e) sum_lambda += p.edge_delay[e];
  for (op_id i = 0; i < p.num_ops(); ++i) {
    sum_latency += p.latency[i];
    sum_blocking += p.blocking[i];
    if (p.resources[p.op_resource[i]].name == "mem_read") {
      ++mem_reads;
      CHECK(p.resources[p.op_resource[i]].limit == 2);
    }
  }
  CHECK(sum_lambda == 49);
  CHECK(sum_latency == 10);
  CHECK(sum_blocking == 7);
  CHECK(mem_reads == 3);
}
