#include <doctest/doctest.h>

#include <string>

#include "core/error.hpp"
#include "graphs/formats.hpp"

using namespace gaus;

namespace {

const std::string kData = GAUS_TEST_DATA_DIR;

std::string read_error(const std::string& path, const ReadOptions& o = {}) {
  try {
    (void)read_graph_file(path, o);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("read_file: format names") {
  CHECK(parse_format("auto") == Format::Auto);
  CHECK(parse_format("json") == Format::Json);
  CHECK(parse_format("HeuriGym") == Format::HeuriGym);
  CHECK(parse_format("aag") == Format::Aiger);
  CHECK(parse_format("aig") == Format::Aiger);
  CHECK(parse_format("dot") == Format::Dot);
  CHECK(parse_format("gml") == Format::Gml);
  CHECK(parse_format("graphml") == Format::GraphMl);
  CHECK_THROWS_WITH_AS(parse_format("xls"),
                       "unknown format 'xls' (expected auto, json, heurigym, aiger, dot, gml, "
                       "graphml or ssp)",
                       InputError);
  for (Format f : {Format::Auto, Format::Json, Format::HeuriGym, Format::Aiger, Format::Dot,
                   Format::Gml, Format::GraphMl, Format::Ssp})
    CHECK(parse_format(format_name(f)) == f);
}

TEST_CASE("read_file: detect_format by extension, then by content") {
  CHECK(detect_format("a/x.json", R"({"format": "gaus", "ops": []})") == Format::Json);
  CHECK(detect_format("x.json", R"({"name": "hal", "delay": {}, "resource": {}})") ==
        Format::HeuriGym);
  // "ops" wins over "delay"; malformed JSON goes to the native reader, which says what is wrong
  CHECK(detect_format("x.json", R"({"delay": {}, "ops": []})") == Format::Json);
  CHECK(detect_format("x.json", "{ not json") == Format::Json);
  CHECK(detect_format("x.JSON", R"({"resource": {}, "nodes": []})") == Format::HeuriGym);
  CHECK(detect_format("x.aig", "") == Format::Aiger);
  CHECK(detect_format("x.aag", "") == Format::Aiger);
  CHECK(detect_format("x.dot", "") == Format::Dot);
  CHECK(detect_format("x.gv", "") == Format::Dot);
  CHECK(detect_format("x.gml", "") == Format::Gml);
  CHECK(detect_format("x.graphml", "") == Format::GraphMl);
  CHECK(detect_format("x.xml", "") == Format::GraphMl);
  CHECK(detect_format("x.input", "\n {\"delay\": {}}") == Format::HeuriGym);
  CHECK(detect_format("x.txt", "aag 3 2 0 1 1\n") == Format::Aiger);
  CHECK(detect_format("x", "digraph g { a; }") == Format::Dot);
  CHECK(detect_format("x", "graph g { a; }") == Format::Dot);
  CHECK(detect_format("x", "graph [ node [ id 0 ] ]") == Format::Gml);
  CHECK(detect_format("x", "<?xml version=\"1.0\"?><graphml/>") == Format::GraphMl);
  CHECK_THROWS_WITH_AS(detect_format("dir/x.txt", "hello"),
                       "dir/x.txt: cannot tell the format from the name or the content (give it: "
                       "json, heurigym, aiger, dot, gml, graphml or ssp)",
                       InputError);
}

TEST_CASE("read_file: files, companions and their errors") {
  CHECK(read_graph_file(kData + "/graphml_small.graphml").num_ops() == 3);
  CHECK(read_graph_file(kData + "/heurigym_small.json").num_ops() == 5);
  CHECK(read_graph_file(kData + "/json_small.json").num_ops() == 5);

  const std::string missing = kData + "/no_such_file.json";
  CHECK(read_error(missing).find(missing + ": cannot open") == 0);
  CHECK(read_error(kData) == kData + ": is a directory, not a file");

  // the companion is looked for beside the file, or taken from the options
  const std::string nodot = kData + "/heurigym_nodot.json";
  CHECK(read_error(nodot) == nodot + ": DOT graph '" + kData +
                                 "/heurigym_nodot.dot' not found (name it with --companion)");
  ReadOptions o;
  o.companion = kData + "/heurigym_small.dot";
  CHECK_THROWS_WITH_AS((void)read_graph_file(nodot, o).build(),
                       (kData + "/heurigym_small.dot:3: op '1': type 'mul' has no \"delay\" in " +
                        nodot).c_str(),
                       InputError);
  const std::string broken = kData + "/graphml_broken.graphml";
  CHECK(read_error(broken) == broken + ": resource model '" + kData +
                                  "/graphml_broken_RM.xml' not found (name it with --companion)");
  o.companion = kData + "/graphml_small_RM.xml";
  CHECK(read_error(broken, o) ==
        broken + ":4: end tag </graph> does not match <node> opened at line 3");

  // an explicit format overrides the extension
  o = {};
  o.format = Format::Dot;
  CHECK(read_error(kData + "/json_small.json", o).find("json_small.json:1: expected 'digraph'") !=
        std::string::npos);
}
