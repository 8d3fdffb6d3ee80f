// read_ssp on bad input: a table of snippets, each with the line and a piece of the message it
// must report (CIRCT's own wording where CIRCT has one: test/Dialect/SSP/errors.mlir), plus the
// limits (nesting depth, integer and float ranges).
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "graphs/ssp/ssp.hpp"

using namespace gaus;
using namespace gaus::ssp;

namespace {

struct BadCase {
  const char* text;
  std::int64_t line;
  const char* message;
};

// Snippets are wrapped in nothing: each is a whole file.
#define INST "ssp.instance @i of \"Problem\" "

const BadCase kBad[] = {
    {"ssp.library {}", 1, "ssp.library outside of 'ssp.instance' must be named"},
    {"ssp.resource {}", 1, "ssp.resource outside of 'ssp.instance' must be named"},
    {INST "{}", 1, "ssp.instance @i: must contain exactly one 'library' op and one 'graph' op"},
    {INST "{\n library {}\n}", 1, "must contain exactly one 'library' op and one 'graph' op"},
    {INST "{\n graph {}\n library {}\n}", 2,
     "must contain the 'library' op followed by the 'graph' op"},
    {INST "{\n library {}\n library {}\n graph {}\n}", 3, "exactly one 'library' op"},
    {INST "{\n library {}\n graph {}\n graph {}\n}", 4, "exactly one 'library' op"},
    {INST "{\n library {}\n graph {}\n resource {}\n}", 4,
     "the 'resource' op must come after 'library' and before 'graph'"},
    {INST "{\n library {}\n resource {}\n resource {}\n graph {}\n}", 4, "at most one 'resource'"},
    {INST "{\n library {}\n graph {\n %0 = operation<> @Op()\n operation<>(@Op, %0)\n }\n}", 5,
     "unnamed operation #1 in the graph: Auxiliary dependence from @Op is interleaved with SSA "
     "operands"},
    {INST "{\n library {}\n graph {\n operation<> @x(@InvalidOp)\n }\n}", 4,
     "operation @x: Auxiliary dependence references invalid source operation: @InvalidOp"},
    {INST "{\n library {}\n graph {\n %v = operation<@InvalidOpr>()\n }\n}", 4,
     "operation %v: Linked operator type property references invalid operator type: @InvalidOpr"},
    {"ssp.library @standalone {}\n" INST "{\n library {}\n graph {\n"
     "operation<@standalone::@InvalidOpr>()\n }\n}",
     5, "references invalid operator type: @standalone::@InvalidOpr"},
    {INST "{\n library { operator_type @T }\n resource { resource_type @R }\n graph {\n"
          "operation<@T> uses[@T]()\n }\n}",
     5, "Linked resource type property references invalid resource type: @T"},
    {INST "{\n library { operator_type @T }\n graph {\n operation<@T> uses[@R]()\n }\n}", 4,
     "references invalid resource type: @R"},  // no resource block at all
    {"ssp.resource @L { resource_type @T }\n" INST "{\n library {}\n graph {\n"
     "operation<@L::@T>()\n }\n}",
     5, "references invalid operator type: @L::@T"},  // a resource library is no operator library
    {INST "{\n library @L { operator_type @T }\n graph {\n operation<@L>()\n }\n}", 4,
     "invalid operator type: @L"},
    {"ssp.instance @a of \"Problem\" { library @L { operator_type @T } graph {} }\n"
     "ssp.instance @b of \"Problem\" { library {} graph { operation<@a::@L::@T>() } }",
     2, "operator type @a::@L::@T is in another instance, which gaus does not support"},
    {"ssp.library @L { operator_type @T }\n// -----\n" INST
     "{ library {} graph { operation<@L::@T>() } }",
     3, "invalid operator type: @L::@T"},  // symbols do not cross chunks
    {INST "{\n library {}\n graph {\n operation<>(%9)\n }\n}", 4,
     "use of undeclared SSA value name '%9'"},
    {INST "{\n library {}\n graph {\n %0:2 = operation<>()\n operation<>(%0#2)\n }\n}", 5,
     "reference to invalid result number '%0#2' (it defines 2 results)"},
    {INST "{\n library {}\n graph {\n %0 = operation<>()\n operation<>(%0#1)\n }\n}", 5,
     "invalid result number '%0#1' (it defines 1 result)"},
    {INST "{\n library {}\n graph {\n %0 = operation<>()\n %0 = operation<>()\n }\n}", 5,
     "redefinition of SSA value '%0'"},
    {INST "{\n library {}\n graph {\n operation<> @A()\n operation<> @A()\n }\n}", 5,
     "redefinition of symbol named 'A'"},
    {INST "{\n library {\n operator_type @T\n operator_type @T\n }\n graph {}\n}", 4,
     "redefinition of symbol named 'T'"},
    {INST "{\n library @X {}\n resource @X {}\n graph {}\n}", 3,
     "redefinition of symbol named 'X'"},
    {"ssp.library @L {}\nssp.resource @L {}", 2, "redefinition of symbol named 'L'"},
    {"ssp.library @i {}\n" INST "{ library {} graph {} }", 2, "redefinition of symbol named 'i'"},
    {"module @M {}\nmodule @M {}", 2, "redefinition of symbol named 'M'"},
    {INST "{\n library {\n operator_type @T [speed<1>]\n }\n graph {}\n}", 3,
     "unknown property 'speed' on operator type @T"},
    {INST "{\n library {\n operator_type @T [t<1>]\n }\n graph {}\n}", 3,
     "property 't' does not apply to operator type @T"},
    {INST "[latency<1>] { library {} graph {} }", 1, "property 'latency' does not apply to"},
    {INST "{ library {} graph {\n operation<>() [dist<1>] } }", 2,
     "property 'dist' does not apply to unnamed operation #0 in the graph (allowed: t, z)"},
    {INST "{ library {} graph {\n operation<> @a(@a [t<1>]) } }", 2,
     "property 't' does not apply to a dependence of operation @a"},
    {INST "{ library { operator_type @T [latency<1>,\n latency<2>] } graph {} }", 2,
     "duplicate property 'latency'"},
    {INST "{ library { operator_type @T [#foo.latency<1>] } graph {} }", 1, "expected a property"},
    {INST "{ library {\n operator_type @T [latency<-1>] } graph {} }", 2,
     "latency<...> on operator type @T: expected an integer in [0, 2147483647], found '-1'"},
    {INST "{ library { resource_type @T } graph {} }", 1, "expected 'operator_type' or '}'"},
    {"ssp.instance @i of \"CyclicProblem\" [II<2147483648>] { library {} graph {} }", 1,
     "II<...> on ssp.instance @i: expected an integer in [0, 2147483647]"},
    {INST "{ library {} graph { operation<>() [t<99999999999999999999>] } }", 1,
     "expected an integer in [0, 2147483647]"},
    {INST "{ library { operator_type @T [latency<1.5>] } graph {} }", 1, "found '1.5'"},
    {INST "{ library { operator_type @T [latency<1 : i32>] } graph {} }", 1,
     "takes an integer without a type"},
    {INST "{ library { operator_type @T [incDelay<1.0e+39>] } graph {} }", 1,
     "'1.0e+39' is not a finite f32 number"},
    {INST "{ library { operator_type @T [incDelay<1.0 : i32>] } graph {} }", 1,
     "expected type f32, found 'i32'"},
    {INST "{ library {} graph { %0:0 = operation<>() } }", 1,
     "the result count of '%0': expected an integer in [1, 2147483647]"},
    {INST "{ library {} graph { %0:2 = operation<>() operation<>(%0#x) } }", 1,
     "the result number of '%0'"},
    {INST "{ library {} graph {\n operation<> } }", 2, "expected '(' to open the dependences"},
    {INST "{ library {} graph {\n operation<>() {a = 1} } }", 2,
     "attribute dictionaries are not supported"},
    {INST "{ library {} graph { operation<>(7) } }", 1, "expected SSA value or symbol reference"},
    {INST "{ library {} graph { operation<> uses[%0]() } }", 1,
     "expected symbol reference inside uses[...]"},
    {INST "{ library {} graph { operation<> uses() } }", 1, "expected '[' after 'uses'"},
    {INST "{ library {} graph { %0 operation<>() } }", 1, "expected '=' after '%0'"},
    {INST "{ library {} graph { %0 = op<>() } }", 1, "expected 'operation' or '}'"},
    {INST "{ library {} graph { operation<@A::>() } }", 1, "expected a symbol after '::'"},
    {"ssp.instance @i \"Problem\" {}", 1, "expected 'of' after 'ssp.instance @i'"},
    {"ssp.instance @i of Problem {}", 1, "expected the problem class (a quoted string)"},
    {"ssp.instance @\"abc of \"Problem\"", 1, "expected 'of'"},
    {"ssp.instance @\"abc of", 1, "unterminated string"},
    {"ssp.library @\"a\\q\" {}", 1, "unknown escape in string literal"},
    {"ssp.library @\"\" {}", 1, "empty symbol name"},
    {"ssp.library @1 {}", 1, "expected a symbol name"},
    {INST "{\n library {}\n graph { ! }\n}", 3, "unexpected character '!'"},
    {INST "{ library { operator_type @T [latency<1x>] } graph {} }", 1, "malformed number '1x'"},
    {INST "{ library {} graph { %1a = operation<>() } }", 1, "malformed name '%1a'"},
    {"func.func @f() {}", 1,
     "expected 'ssp.instance', 'ssp.library', 'ssp.resource' or 'module', found 'func.func'"},
    {"library @L {}", 1, "expected 'ssp.instance', 'ssp.library'"},
    {"module @M {\n  ssp.library @L {}\n", 1, "unterminated 'module @M' (no closing '}')"},
    {"module {\n  ssp.library @L {}\n", 1, "unterminated 'module'"},
    {"module @M { module { } }", 1, "'module' must be named here"},
    {"ssp.library @L {}\nmodule { }", 2, "only the first op of a chunk may be an unnamed module"},
    {"module @M {\n " INST "{ library {} graph {} } }", 2,
     "ssp.instance inside 'module @M' is not supported"},
    {INST "{\n library {}\n// -----\n graph {}\n}", 3,
     "found '// -----' (end of the chunk)"},
    {INST "{\n library {}\n graph {\n", 4, "found end of file"},
    {"ssp.instance @i of \"Problem\" { library {} graph {} }\n"
     "ssp.instance @i of \"Problem\" { library {} graph {} }",
     2, "redefinition of symbol named 'i'"},
};

}  // namespace

TEST_CASE("read_ssp: bad ssp inputs report their line and what is wrong") {
  for (const BadCase& c : kBad) {
    const std::string text = c.text;
    CAPTURE(text);
    const std::string expected_prefix = "bad.mlir:" + std::to_string(c.line) + ": ";
    std::string message;
    try {
      (void)read_ssp(text, "bad.mlir");
    } catch (const InputError& e) {
      message = e.what();
    }
    CAPTURE(message);
    CHECK(message.starts_with(expected_prefix));
    CHECK(message.find(c.message) != std::string::npos);
  }
}

TEST_CASE("read_ssp: ssp module nesting is bounded, and a deep but legal one reads") {
  auto nested = [](int depth) {
    std::string text;
    for (int k = 0; k < depth; ++k) text += "module @m" + std::to_string(k) + " {\n";
    text += "ssp.library @L { operator_type @T [latency<1>] }\n";
    for (int k = 0; k < depth; ++k) text += "}\n";
    return text;
  };
  const Module ok = read_ssp(nested(64), "deep.mlir");
  REQUIRE(ok.libraries.size() == 1);
  CHECK(ok.library_scope[0].size() == 64);
  CHECK(ok.library_scope[0].back() == "m63");
  CHECK_THROWS_WITH_AS(read_ssp(nested(65), "deep.mlir"),
                       doctest::Contains("deep.mlir:65: modules nested more than 64 deep"),
                       InputError);
  // A long flat input of many operations is no problem either.
  std::string flat = INST "{ library {} graph {\n";
  for (int k = 0; k < 20000; ++k) flat += "%" + std::to_string(k) + " = operation<>(%" +
                                          std::to_string(k == 0 ? 0 : k - 1) + ")\n";
  flat += "} }\n";
  const Module big = read_ssp(flat, "flat.mlir");
  REQUIRE(big.instances.size() == 1);
  CHECK(big.instances[0].operations.size() == 20000);
  CHECK(big.instances[0].operations[19999].dependences.at(0).source == 19998);
}

TEST_CASE("read_ssp: ssp integer and float limits that are accepted") {
  const Module m = read_ssp(
      "ssp.instance of \"ModuloProblem\" [II<0>] { library { operator_type @T [latency<0>, "
      "limit<2147483647>, incDelay<-1.5>, outDelay<3.4e+38 : f32>] } graph {\n"
      "%0:2147483647 = operation<@T>(%0#2147483646 [dist<2147483647>]) [t<2147483647>, "
      "z<1.0e-30>] } }",
      "limits.mlir");
  const Instance& inst = m.instances.at(0);
  CHECK(inst.ii == 0);
  const OperatorType& t = inst.library.types.at(0);
  CHECK(t.latency == 0);
  CHECK(t.limit == 2147483647);
  CHECK(t.incoming_delay == -1.5);
  CHECK(t.outgoing_delay == static_cast<double>(3.4e38F));
  const Operation& op = inst.operations.at(0);
  CHECK(op.num_results == 2147483647);
  CHECK(op.dependences.at(0).result == 2147483646);
  CHECK(op.dependences.at(0).distance == 2147483647);
  CHECK(op.start_time == 2147483647);
  CHECK(op.start_time_in_cycle == static_cast<double>(1.0e-30F));
}
