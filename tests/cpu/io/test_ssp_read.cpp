// read_ssp on the fixtures in tests/data/ssp: every parsed field of all_constructs.mlir (values,
// resolved references, canonical library numbering, chunks, lines), the other fixtures' shape,
// the helpers of ssp.hpp, and that truncated or mutated fixtures give a module or an InputError,
// never anything else. Bad inputs and their messages: test_ssp_errors.cpp.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "graphs/ssp/ssp.hpp"

using namespace gaus;
using namespace gaus::ssp;

namespace {

Module read_fixture(const std::string& file) {
  return read_ssp(read_file(GAUS_TEST_DATA_DIR "/ssp/" + file), file);
}

void check_dep(const Dependence& d, bool aux, std::int32_t source, std::int32_t result,
               std::optional<std::int32_t> distance) {
  CHECK(d.auxiliary == aux);
  CHECK(d.source == source);
  CHECK(d.result == result);
  CHECK(d.distance == distance);
}

}  // namespace

TEST_CASE("read_ssp: stand-alone libraries of all_constructs.mlir, scoped and renumbered") {
  const Module m = read_fixture("all_constructs.mlir");
  CHECK(m.num_chunks == 3);
  // Chunk 0 in scope order: top-level @Shared, @Late, then @Outer's @Lib; chunk 1: its @Shared.
  REQUIRE(m.libraries.size() == 4);
  REQUIRE(m.library_scope.size() == 4);
  REQUIRE(m.library_chunk.size() == 4);
  const char* names[] = {"Shared", "Late", "Lib", "Shared"};
  const std::int64_t lines[] = {3, 17, 10, 52};
  const std::vector<std::string> scopes[] = {{}, {}, {"Outer"}, {}};
  const std::int32_t chunks[] = {0, 0, 0, 1};
  for (std::size_t k = 0; k < 4; ++k) {
    CAPTURE(k);
    CHECK(m.libraries[k].name == names[k]);
    CHECK(m.libraries[k].line == lines[k]);
    CHECK(m.library_scope[k] == scopes[k]);
    CHECK(m.library_chunk[k] == chunks[k]);
  }
  REQUIRE(m.libraries[0].types.size() == 1);
  CHECK(m.libraries[0].types[0].name == "Mul");
  CHECK(m.libraries[0].types[0].latency == 4);
  CHECK(m.libraries[0].types[0].line == 4);
  CHECK_FALSE(m.libraries[1].types[0].latency);
  const OperatorType& div = m.libraries[2].types.at(0);
  CHECK(div.name == "Div");
  CHECK(div.latency == 9);
  CHECK(div.limit == 1);
  CHECK(div.line == 10);
  CHECK(m.libraries[3].types.at(0).latency == 0);

  REQUIRE(m.resource_libraries.size() == 2);
  CHECK(m.resource_libraries[0].name == "SharedRsrc");
  CHECK(m.resource_library_scope[0].empty());
  CHECK(m.resource_libraries[0].types.at(0).name == "Dsp");
  CHECK(m.resource_libraries[0].types.at(0).limit == 2);
  CHECK(m.resource_libraries[1].name == "R");
  CHECK(m.resource_library_scope[1] == std::vector<std::string>{"Outer", "Inner"});
  CHECK(m.resource_library_chunk == std::vector<std::int32_t>{0, 0});
  CHECK(m.resource_libraries[1].types.at(0).limit == 3);
  CHECK(m.resource_libraries[1].types.at(0).line == 13);
}

TEST_CASE("read_ssp: the instance of all_constructs.mlir, field by field") {
  const Module m = read_fixture("all_constructs.mlir");
  REQUIRE(m.instances.size() == 4);
  const Instance& inst = m.instances[0];
  CHECK(inst.name == "filter");
  CHECK(inst.class_name == "ModuloProblem");
  CHECK(inst.problem_class == ProblemClass::Modulo);
  CHECK(inst.ii == 3);
  CHECK(inst.chunk == 0);
  CHECK(inst.line == 18);
  CHECK(inst.library.name == "Own");
  CHECK(inst.library.line == 19);
  REQUIRE(inst.library.types.size() == 3);
  const OperatorType& add = inst.library.types[1];
  CHECK(add.latency == 2);
  CHECK(add.incoming_delay == static_cast<double>(0.1F));  // f32, as CIRCT stores it
  CHECK(add.outgoing_delay == 0.25);
  CHECK_FALSE(add.limit);
  CHECK(inst.library.types[2].name == "no props");
  CHECK_FALSE(inst.library.types[2].latency);
  CHECK_FALSE(inst.library.types[2].incoming_delay);
  REQUIRE(inst.resources);
  CHECK(inst.resources->name.empty());
  REQUIRE(inst.resources->types.size() == 2);
  CHECK(inst.resources->types[1].name == "WritePort");
  CHECK(inst.resources->types[1].limit == 1);  // spelled #ssp.limit<1>

  REQUIRE(inst.operations.size() == 8);
  const auto& ops = inst.operations;
  for (std::size_t k = 0; k < ops.size(); ++k) {
    CAPTURE(k);
    CHECK(ops[k].line == 29 + static_cast<std::int64_t>(k));
  }
  const char* names[] = {"load_x", "load_y", "add", "store_y", "", "", "", ""};
  const std::int32_t results[] = {1, 1, 2, 0, 2, 0, 0, 0};
  const std::optional<std::int32_t> t[] = {2, 0, 3, 4, 7, {}, {}, {}};
  const std::optional<TypeRef> types[] = {TypeRef{-1, 0}, TypeRef{-1, 0}, TypeRef{-1, 1},
                                          TypeRef{-1, 0}, TypeRef{0, 0},  TypeRef{2, 0},
                                          TypeRef{-1, 2}, std::nullopt};
  for (std::size_t k = 0; k < ops.size(); ++k) {
    CAPTURE(k);
    CHECK(ops[k].name == names[k]);
    CHECK(ops[k].num_results == results[k]);
    CHECK(ops[k].start_time == t[k]);
    CHECK(ops[k].operator_type == types[k]);
  }
  CHECK(ops[1].operator_ref == SymbolRef{"Own", "Load"});
  CHECK(ops[5].operator_ref == SymbolRef{"Outer", "Lib", "Div"});
  CHECK(ops[6].operator_ref == SymbolRef{"filter", "Own", "no props"});
  CHECK_FALSE(ops[7].operator_ref);
  CHECK(ops[2].start_time_in_cycle == 0.5);
  CHECK_FALSE(ops[0].start_time_in_cycle);

  CHECK(ops[0].resource_refs == std::vector<SymbolRef>{{"ReadPort"}});
  CHECK(ops[0].resource_types == std::vector<TypeRef>{{-1, 0}});
  CHECK(ops[1].resource_types == std::vector<TypeRef>{{-1, 0}});
  CHECK(ops[3].resource_refs == std::vector<SymbolRef>{{"WritePort"}, {"SharedRsrc", "Dsp"}});
  CHECK(ops[3].resource_types == std::vector<TypeRef>{{-1, 1}, {0, 0}});
  CHECK(ops[5].resource_types == std::vector<TypeRef>{{1, 0}});
  CHECK(ops[2].resource_refs.empty());

  REQUIRE(ops[0].dependences.size() == 1);
  check_dep(ops[0].dependences[0], true, 3, 0, 1);  // @store_y, defined later
  CHECK(ops[0].dependences[0].line == 29);
  REQUIRE(ops[2].dependences.size() == 3);
  check_dep(ops[2].dependences[0], false, 0, 0, std::nullopt);
  check_dep(ops[2].dependences[1], false, 1, 0, 0);
  check_dep(ops[2].dependences[2], false, 4, 1, std::nullopt);  // %late#1, a forward use
  REQUIRE(ops[3].dependences.size() == 1);
  check_dep(ops[3].dependences[0], false, 2, 1, std::nullopt);
  REQUIRE(ops[4].dependences.size() == 1);
  check_dep(ops[4].dependences[0], false, 2, 0, std::nullopt);
  CHECK(ops[5].dependences.empty());
  REQUIRE(ops[6].dependences.size() == 3);
  check_dep(ops[6].dependences[0], false, 4, 0, std::nullopt);
  check_dep(ops[6].dependences[1], true, 2, 0, std::nullopt);
  check_dep(ops[6].dependences[2], true, 0, 0, 2);

  CHECK(&operator_type(m, inst, *ops[4].operator_type) == &m.libraries[0].types[0]);
  CHECK(operator_type(m, inst, *ops[2].operator_type).name == "Add");
  CHECK(resource_type(m, inst, ops[3].resource_types[1]).name == "Dsp");
  CHECK(resource_type(m, inst, ops[3].resource_types[0]).name == "WritePort");
}

TEST_CASE("read_ssp: chunks 1 and 2 of all_constructs.mlir") {
  const Module m = read_fixture("all_constructs.mlir");
  REQUIRE(m.instances.size() == 4);
  const Instance& unnamed = m.instances[1];
  CHECK(unnamed.name.empty());
  CHECK(unnamed.problem_class == ProblemClass::Problem);
  CHECK(unnamed.chunk == 1);
  CHECK(unnamed.line == 42);
  CHECK_FALSE(unnamed.resources);
  CHECK(unnamed.operations.empty());
  CHECK(unnamed.library.types.empty());

  const Instance& legacy = m.instances[2];
  CHECK(legacy.name == "legacy");
  CHECK(legacy.problem_class == ProblemClass::SharedOperators);
  CHECK_FALSE(legacy.ii);
  CHECK_FALSE(legacy.resources);
  CHECK(legacy.library.types.at(0).limit == 1);
  REQUIRE(legacy.operations.size() == 2);
  CHECK(legacy.operations[0].operator_type == TypeRef{-1, 0});
  CHECK(legacy.operations[1].operator_type == TypeRef{3, 0});  // this chunk's @Shared
  CHECK(legacy.operations[1].num_results == 0);

  const Instance& wrapped = m.instances[3];
  CHECK(wrapped.name == "wrapped");
  CHECK(wrapped.class_name == "CustomProblem");
  CHECK_FALSE(wrapped.problem_class);
  CHECK(wrapped.chunk == 2);
  REQUIRE(wrapped.resources);
  CHECK(wrapped.resources->name == "Units");
}

TEST_CASE("read_ssp: the other fixtures") {
  const Module chain = read_fixture("chaining.mlir");
  REQUIRE(chain.instances.size() == 1);
  const Instance& c = chain.instances[0];
  CHECK(c.problem_class == ProblemClass::Chaining);
  CHECK(c.library.types.at(0).incoming_delay == static_cast<double>(2.34F));
  CHECK(c.library.types.at(2).incoming_delay == static_cast<double>(0.123456789F));
  CHECK(c.library.types.at(2).outgoing_delay == 30.0);
  CHECK(c.operations.at(2).start_time_in_cycle == static_cast<double>(4.68F));
  CHECK(c.operations.at(3).start_time_in_cycle == 0.0);
  CHECK(c.operations.at(3).name == "out");

  const Module cyc = read_fixture("cyclic.mlir");
  CHECK(cyc.num_chunks == 2);
  REQUIRE(cyc.instances.size() == 2);
  const auto& loop = cyc.instances[0].operations;
  REQUIRE(loop.size() == 4);
  check_dep(loop[1].dependences.at(1), false, 2, 0, 1);  // %next, defined below
  check_dep(loop[3].dependences.at(0), true, 3, 0, 1);   // @self
  check_dep(loop[3].dependences.at(1), true, 1, 0, 2);
  CHECK(cyc.instances[1].chunk == 1);
  CHECK(cyc.instances[1].problem_class == ProblemClass::ChainingCyclic);

  const Module legacy = read_fixture("legacy.mlir");
  REQUIRE(legacy.instances.size() == 1);
  CHECK(legacy.instances[0].name == "shared_adders");
  CHECK_FALSE(legacy.instances[0].resources);
  CHECK(legacy.instances[0].library.types.at(1).limit == 2);
  CHECK(legacy.instances[0].operations.at(3).dependences.size() == 3);

  const Module empty = read_ssp("", "empty.mlir");
  CHECK(empty.num_chunks == 1);
  CHECK(empty.instances.empty());
  CHECK(read_ssp("// -----\n// -----\n", "x").num_chunks == 3);
}

TEST_CASE("ssp helpers: problem classes and symbols") {
  for (const ProblemClass c :
       {ProblemClass::Problem, ProblemClass::Cyclic, ProblemClass::Chaining,
        ProblemClass::SharedOperators, ProblemClass::Modulo, ProblemClass::ChainingCyclic}) {
    CAPTURE(problem_class_name(c));
    CHECK(parse_problem_class(problem_class_name(c)) == c);
  }
  CHECK(std::string(problem_class_name(ProblemClass::Modulo)) == "ModuloProblem");
  CHECK_FALSE(parse_problem_class("moduloproblem"));
  CHECK(is_cyclic(ProblemClass::Modulo));
  CHECK(is_cyclic(ProblemClass::ChainingCyclic));
  CHECK_FALSE(is_cyclic(ProblemClass::SharedOperators));
  CHECK(is_chaining(ProblemClass::Chaining));
  CHECK_FALSE(is_chaining(ProblemClass::Cyclic));
  CHECK(has_limits(ProblemClass::SharedOperators));
  CHECK(has_limits(ProblemClass::Modulo));
  CHECK_FALSE(has_limits(ProblemClass::ChainingCyclic));
  CHECK(format_symbol("a_1.b$") == "@a_1.b$");
  CHECK(format_symbol("no props") == "@\"no props\"");
  CHECK(format_symbol("1x") == "@\"1x\"");
  CHECK(format_symbol("q\"b\\\n\xff") == "@\"q\\22b\\\\\\0A\\FF\"");
  CHECK(format_symbol_ref({"A", "b c"}) == "@A::@\"b c\"");
  CHECK(format_string("Problem") == "\"Problem\"");
}

TEST_CASE("read_ssp: escapes in quoted names read back what format_symbol writes") {
  const std::string name = "q\"b\\\n\x01\xff ok";
  const std::string text =
      "ssp.library " + format_symbol(name) + " {\n  operator_type @\"\\41\\n\\t\"\n}\n";
  const Module m = read_ssp(text, "esc.mlir");
  REQUIRE(m.libraries.size() == 1);
  CHECK(m.libraries[0].name == name);
  CHECK(m.libraries[0].types.at(0).name == "A\n\t");
}

TEST_CASE("read_ssp: truncated and mutated ssp fixtures give a module or an InputError") {
  std::mt19937 rng(7);
  for (const char* file : {"all_constructs.mlir", "chaining.mlir", "cyclic.mlir"}) {
    CAPTURE(file);
    const std::string text = read_file(GAUS_TEST_DATA_DIR "/ssp/" + std::string(file));
    auto survives = [&](const std::string& input) {
      try {
        (void)read_ssp(input, "mutant.mlir");
      } catch (const InputError& e) {
        CHECK(std::string(e.what()).starts_with("mutant.mlir"));
      }
    };
    for (std::size_t n = 0; n <= text.size(); ++n) survives(text.substr(0, n));
    const std::string alphabet = "{}()[]<>,=:#@%\"\\/- \n0123456789e.ab";
    for (int trial = 0; trial < 2000; ++trial) {
      std::string mutant = text;
      for (int k = 0; k < 3; ++k) {
        const std::size_t at = rng() % mutant.size();
        switch (rng() % 3) {
          case 0: mutant[at] = alphabet[rng() % alphabet.size()]; break;
          case 1: mutant.erase(at, 1 + rng() % 8); break;
          default: mutant.insert(at, 1, alphabet[rng() % alphabet.size()]);
        }
      }
      survives(mutant);
    }
  }
}
