// write_ssp: the exact text CIRCT prints for a small fixture and for scoped stand-alone libraries,
// f32 formatting, quoted symbols, a hand-built module, its errors, and the round trip
// read_ssp(write_ssp(m)) == m (every field but source lines) on every fixture in tests/data/ssp.
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "graphs/ssp/ssp.hpp"

using namespace gaus;
using namespace gaus::ssp;

namespace {

Module read_fixture(const std::string& file) {
  return read_ssp(read_file(GAUS_TEST_DATA_DIR "/ssp/" + file), file);
}

void check_same(const OperatorType& a, const OperatorType& b) {
  CHECK(a.name == b.name);
  CHECK(a.latency == b.latency);
  CHECK(a.incoming_delay == b.incoming_delay);
  CHECK(a.outgoing_delay == b.outgoing_delay);
  CHECK(a.limit == b.limit);
}

void check_same(const ResourceType& a, const ResourceType& b) {
  CHECK(a.name == b.name);
  CHECK(a.limit == b.limit);
}

template <class Lib>
void check_same_library(const Lib& a, const Lib& b) {
  CHECK(a.name == b.name);
  REQUIRE(a.types.size() == b.types.size());
  for (std::size_t k = 0; k < a.types.size(); ++k) check_same(a.types[k], b.types[k]);
}

void check_same(const Operation& a, const Operation& b) {
  CHECK(a.name == b.name);
  CHECK(a.num_results == b.num_results);
  CHECK(a.operator_ref == b.operator_ref);
  CHECK(a.operator_type == b.operator_type);
  CHECK(a.resource_refs == b.resource_refs);
  CHECK(a.resource_types == b.resource_types);
  CHECK(a.start_time == b.start_time);
  CHECK(a.start_time_in_cycle == b.start_time_in_cycle);
  REQUIRE(a.dependences.size() == b.dependences.size());
  for (std::size_t k = 0; k < a.dependences.size(); ++k) {
    CAPTURE(k);
    CHECK(a.dependences[k].auxiliary == b.dependences[k].auxiliary);
    CHECK(a.dependences[k].source == b.dependences[k].source);
    CHECK(a.dependences[k].result == b.dependences[k].result);
    CHECK(a.dependences[k].distance == b.dependences[k].distance);
  }
}

/// Every field of two modules, source lines excepted.
void check_same(const Module& a, const Module& b) {
  CHECK(a.num_chunks == b.num_chunks);
  CHECK(a.library_scope == b.library_scope);
  CHECK(a.library_chunk == b.library_chunk);
  CHECK(a.resource_library_scope == b.resource_library_scope);
  CHECK(a.resource_library_chunk == b.resource_library_chunk);
  REQUIRE(a.libraries.size() == b.libraries.size());
  for (std::size_t k = 0; k < a.libraries.size(); ++k)
    check_same_library(a.libraries[k], b.libraries[k]);
  REQUIRE(a.resource_libraries.size() == b.resource_libraries.size());
  for (std::size_t k = 0; k < a.resource_libraries.size(); ++k)
    check_same_library(a.resource_libraries[k], b.resource_libraries[k]);
  REQUIRE(a.instances.size() == b.instances.size());
  for (std::size_t k = 0; k < a.instances.size(); ++k) {
    CAPTURE(k);
    const Instance& x = a.instances[k];
    const Instance& y = b.instances[k];
    CHECK(x.name == y.name);
    CHECK(x.class_name == y.class_name);
    CHECK(x.problem_class == y.problem_class);
    CHECK(x.ii == y.ii);
    CHECK(x.chunk == y.chunk);
    check_same_library(x.library, y.library);
    REQUIRE(x.resources.has_value() == y.resources.has_value());
    if (x.resources) check_same_library(*x.resources, *y.resources);
    REQUIRE(x.operations.size() == y.operations.size());
    for (std::size_t o = 0; o < x.operations.size(); ++o) {
      CAPTURE(o);
      check_same(x.operations[o], y.operations[o]);
    }
  }
}

}  // namespace

TEST_CASE("write_ssp: a small ssp fixture prints exactly as CIRCT prints it") {
  const std::string expected = R"(ssp.instance @acc of "ModuloProblem" [II<2>] {
  library {
    operator_type @mem [latency<1>]
    operator_type @mac [latency<3>]
  }
  resource {
    resource_type @port [limit<1>]
  }
  graph {
    %0 = operation<@mem> uses[@port] @rd(@wr [dist<1>]) [t<0>]
    %1:2 = operation<@mac>(%0, %1#1 [dist<1>]) [t<1>]
    operation<@mem> uses[@port] @wr(%1#0) [t<4>]
  }
}
)";
  CHECK(write_ssp(read_fixture("modulo_small.mlir")) == expected);
}

TEST_CASE("write_ssp: ssp stand-alone libraries in module wrappers, chunks, empty blocks") {
  const std::string text = write_ssp(read_fixture("all_constructs.mlir"));
  const std::string libraries = R"(ssp.library @Shared {
  operator_type @Mul [latency<4>]
}
ssp.library @Late {
  operator_type @Nop
}
ssp.resource @SharedRsrc {
  resource_type @Dsp [limit<2>]
}
module @Outer {
  ssp.library @Lib {
    operator_type @Div [latency<9>, limit<1>]
  }
  module @Inner {
    ssp.resource @R {
      resource_type @Port [limit<3>]
    }
  }
}
ssp.instance @filter of "ModuloProblem" [II<3>] {
  library @Own {
    operator_type @Load [latency<1>]
    operator_type @Add [latency<2>, incDelay<1.000000e-01 : f32>, outDelay<2.500000e-01 : f32>]
    operator_type @"no props"
  }
)";
  CHECK(text.starts_with(libraries));
  const std::string graph = R"(
    %1 = operation<@Own::@Load> uses[@ReadPort] @load_y() [t<0>]
    %2:2 = operation<@Add> @add(%0, %1 [dist<0>], %3#1) [t<3>, z<5.000000e-01 : f32>]
    operation<@Load> uses[@WritePort, @SharedRsrc::@Dsp] @store_y(%2#1) [t<4>]
    %3:2 = operation<@Shared::@Mul>(%2#0) [t<7>]
    operation<@Outer::@Lib::@Div> uses[@Outer::@Inner::@R::@Port]()
    operation<@filter::@Own::@"no props">(%3#0, @add, @load_x [dist<2>])
    operation<>()
  }
}
// -----
ssp.library @Shared {
  operator_type @Nop [latency<0>]
}
ssp.instance of "Problem" {
  library {
  }
  graph {
  }
}
)";
  CHECK(text.find(graph) != std::string::npos);
  CHECK(text.ends_with(R"(// -----
ssp.instance @wrapped of "CustomProblem" {
  library {
  }
  resource @Units {
  }
  graph {
  }
}
)"));
}

TEST_CASE("write_ssp: ssp floats as MLIR prints f32") {
  const Module m = read_fixture("chaining.mlir");
  const std::string text = write_ssp(m);
  CHECK(text.find("operator_type @add [latency<0>, incDelay<2.340000e+00 : f32>, "
                  "outDelay<2.340000e+00 : f32>]") != std::string::npos);
  // 0.123456789 as f32 needs more than seven digits to read back.
  CHECK(text.find("incDelay<1.2345679e-01 : f32>, outDelay<3.000000e+01 : f32>") !=
        std::string::npos);
  CHECK(text.find("@out(%2, %1) [t<1>, z<0.000000e+00 : f32>]") != std::string::npos);
}

TEST_CASE("write_ssp: a hand-built ssp module, and what it cannot print") {
  Module m;
  m.libraries.push_back({"my lib", {{"op", 2, std::nullopt, std::nullopt, std::nullopt, 0}}, 0});
  m.library_scope.push_back({"M"});
  m.library_chunk.push_back(0);
  Instance inst;
  inst.class_name = "Weird \"class\"";
  inst.library.types.push_back({"t", std::nullopt, 0.1, std::nullopt, std::nullopt, 0});
  Operation a;
  a.num_results = 1;
  a.operator_ref = SymbolRef{"M", "my lib", "op"};
  a.operator_type = TypeRef{0, 0};
  Operation b;
  b.name = "b";
  b.dependences.push_back({false, 0, 0, 3, 0});
  b.dependences.push_back({true, 1, 0, std::nullopt, 0});
  inst.operations = {a, b};
  m.instances.push_back(inst);
  const std::string expected = R"(module @M {
  ssp.library @"my lib" {
    operator_type @op [latency<2>]
  }
}
ssp.instance of "Weird \22class\22" {
  library {
    operator_type @t [incDelay<1.000000e-01 : f32>]
  }
  graph {
    %0 = operation<@M::@"my lib"::@op>()
    operation<> @b(%0 [dist<3>], @b)
  }
}
)";
  CHECK(write_ssp(m) == expected);
  CHECK(write_ssp(read_ssp(expected, "hand.mlir")) == expected);

  m.instances[0].operations[1].dependences[1].source = 0;  // @ on an unnamed operation
  CHECK_THROWS_WITH_AS(write_ssp(m), doctest::Contains("unnamed operation"), InputError);
  m.instances[0].operations[1].dependences[1].source = 1;
  m.instances[0].operations[1].dependences[0].result = 1;  // %0#1 of a one-result operation
  CHECK_THROWS_WITH_AS(write_ssp(m), doctest::Contains("does not exist"), InputError);
  CHECK(write_ssp(Module{}).empty());
}

TEST_CASE("write_ssp: read_ssp(write_ssp(m)) == m on every ssp fixture") {
  std::size_t fixtures = 0;
  for (const auto& entry : std::filesystem::directory_iterator(GAUS_TEST_DATA_DIR "/ssp")) {
    if (entry.path().extension() != ".mlir") continue;
    ++fixtures;
    const std::string file = entry.path().filename().string();
    CAPTURE(file);
    const Module m = read_fixture(file);
    const std::string text = write_ssp(m);
    const Module again = read_ssp(text, "written.mlir");
    check_same(m, again);
    CHECK(write_ssp(again) == text);
  }
  CHECK(fixtures >= 5);
}

TEST_CASE("write_ssp: ssp libraries after a module are renumbered so that printing keeps them") {
  // File order r1, l, r2, r3 cannot be printed back with @M's content in one block and both
  // lists in order, so read_ssp numbers resource libraries in printing order: r1, r3, then r2.
  const std::string text = R"(ssp.resource @r1 { resource_type @x }
module @M {
  ssp.library @l { operator_type @o }
  ssp.resource @r2 { resource_type @y }
}
ssp.resource @r3 { resource_type @z }
ssp.instance of "Problem" { library {} graph {
  operation<@M::@l::@o> uses[@M::@r2::@y, @r3::@z, @r1::@x]()
} }
)";
  const Module m = read_ssp(text, "order.mlir");
  REQUIRE(m.resource_libraries.size() == 3);
  CHECK(m.resource_libraries[0].name == "r1");
  CHECK(m.resource_libraries[1].name == "r3");
  CHECK(m.resource_libraries[2].name == "r2");
  CHECK(m.resource_library_scope[2] == std::vector<std::string>{"M"});
  const Operation& op = m.instances.at(0).operations.at(0);
  CHECK(op.operator_type == TypeRef{0, 0});
  CHECK(op.resource_types == std::vector<TypeRef>{{2, 0}, {1, 0}, {0, 0}});
  const std::string written = write_ssp(m);
  CHECK(written.starts_with(R"(ssp.resource @r1 {
  resource_type @x
}
ssp.resource @r3 {
  resource_type @z
}
module @M {
  ssp.library @l {
    operator_type @o
  }
  ssp.resource @r2 {
    resource_type @y
  }
}
)"));
  check_same(m, read_ssp(written, "written.mlir"));
}
