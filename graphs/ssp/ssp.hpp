// CIRCT's SSP ("static scheduling problem") dialect as data: what an `.mlir` file of
// `ssp.instance`, `ssp.library` and `ssp.resource` ops says, with every symbol reference resolved
// and every line kept for messages. graphs/ssp/read_ssp.cpp parses it, graphs/ssp/write_ssp.cpp
// prints it the way CIRCT prints it, graphs/ssp/ssp_problem.cpp turns one instance into a Problem
// with the meaning of its problem class (docs/circt.md).
//
// Only the textual form is read (no generic `"ssp.operation"() {...}` form, no other dialects
// beyond `module @NAME { ... }` wrappers around stand-alone libraries).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gaus::ssp {

/// CIRCT's scheduling problem classes (include/circt/Scheduling/Problems.h).
enum class ProblemClass { Problem, Cyclic, Chaining, SharedOperators, Modulo, ChainingCyclic };

/// "Problem", "CyclicProblem", "ChainingProblem", "SharedOperatorsProblem", "ModuloProblem",
/// "ChainingCyclicProblem"; nullopt for any other name.
std::optional<ProblemClass> parse_problem_class(std::string_view name);
const char* problem_class_name(ProblemClass c);
/// Whether the class has an II and dependence distances (Cyclic, Modulo, ChainingCyclic).
bool is_cyclic(ProblemClass c);
/// Whether the class has operator delays and start times in cycle (Chaining, ChainingCyclic).
bool is_chaining(ProblemClass c);
/// Whether the class has resource limits (SharedOperators, Modulo).
bool has_limits(ProblemClass c);

/// A symbol reference as written, one name per `@` segment: `@A::@B` is {"A", "B"}.
using SymbolRef = std::vector<std::string>;

/// "@A::@B" (names quoted as CIRCT prints them when they are not bare identifiers).
std::string format_symbol_ref(const SymbolRef& ref);
/// "@name" or "@\"a name\"": a symbol name as CIRCT prints it.
std::string format_symbol(std::string_view name);
/// "\"text\"": a string literal as MLIR prints it ('\\' doubled; '"' and bytes outside
/// printable ASCII as \XX).
std::string format_string(std::string_view text);

/// `operator_type @NAME [latency<N>, incDelay<F>, outDelay<F>, limit<K>]`.
struct OperatorType {
  std::string name;
  std::optional<std::int32_t> latency;
  std::optional<double> incoming_delay;  ///< incDelay<F : f32>
  std::optional<double> outgoing_delay;  ///< outDelay<F : f32>
  std::optional<std::int32_t> limit;     ///< the older syntax: a limit on the operator type
  std::int64_t line = 0;
};

/// `resource_type @NAME [limit<K>, ii<N>]`.
struct ResourceType {
  std::string name;
  std::optional<std::int32_t> limit;
  /// The resource's initiation interval (newer CIRCT): an operation holds its unit for N cycles
  /// from its start (gaus's blocking time); 1 when absent.
  std::optional<std::int32_t> ii;
  std::int64_t line = 0;
};

/// A `library` block (in an instance) or an `ssp.library` op (stand-alone).
struct Library {
  std::string name;  ///< "" for an unnamed library inside an instance
  std::vector<OperatorType> types;
  std::int64_t line = 0;
};

/// A `resource` block (in an instance) or an `ssp.resource` op (stand-alone).
struct ResourceLibrary {
  std::string name;  ///< "" for an unnamed block inside an instance
  std::vector<ResourceType> types;
  std::int64_t line = 0;
};

/// One dependence of an operation: a def-use one (an SSA operand `%x` or `%x#i`) or an auxiliary
/// one (`@name`), each optionally with `[dist<D>]`.
struct Dependence {
  bool auxiliary = false;
  std::int32_t source = -1;  ///< index of the source operation in Instance::operations
  std::int32_t result = 0;   ///< def-use: the source's result number (`%x#i`)
  std::optional<std::int32_t> distance;
  std::int64_t line = 0;
};

/// Where a resolved operator or resource type is defined.
struct TypeRef {
  /// -1: the instance's own library / resource block; k >= 0: Module::libraries[k] (for
  /// operator types) or Module::resource_libraries[k] (for resource types).
  std::int32_t library = -1;
  std::int32_t index = -1;  ///< index into that library's `types`
  bool operator==(const TypeRef&) const = default;
};

/// `[%r[:N] =] operation<@Opr> [uses[@R, ...]] [@name](deps...) [t<N>, z<F>]`.
struct Operation {
  std::string name;                    ///< its symbol, "" when unnamed
  std::int32_t num_results = 0;        ///< 0 when it defines no value; `%r:N` defines N
  std::optional<SymbolRef> operator_ref;  ///< as written; nullopt for `operation<>`
  std::optional<TypeRef> operator_type;   ///< resolved operator_ref
  std::vector<SymbolRef> resource_refs;   ///< `uses[...]` as written
  std::vector<TypeRef> resource_types;    ///< resolved, same order
  std::vector<Dependence> dependences;    ///< def-use ones first, in operand order, then auxiliary
  std::optional<std::int32_t> start_time;          ///< t<N>
  std::optional<double> start_time_in_cycle;       ///< z<F : f32>
  std::int64_t line = 0;
};

/// `ssp.instance [@NAME] of "CLASS" [II<N>] { library ... resource ... graph ... }`.
struct Instance {
  std::string name;        ///< "" when unnamed
  std::string class_name;  ///< as written
  std::optional<ProblemClass> problem_class;  ///< nullopt for a class gaus does not know
  std::optional<std::int32_t> ii;
  Library library;
  /// nullopt in the older syntax with no `resource` block (limits on operator types then).
  std::optional<ResourceLibrary> resources;
  std::vector<Operation> operations;
  std::int32_t chunk = 0;  ///< index of the `// -----` chunk it is in
  std::int64_t line = 0;
};

/// Everything in one file. Symbols resolve within a chunk (the text between `// -----` lines).
struct Module {
  std::string source;  ///< the file it was read from, for messages (read_ssp sets it)
  std::vector<Library> libraries;                  ///< stand-alone `ssp.library` ops
  std::vector<ResourceLibrary> resource_libraries; ///< stand-alone `ssp.resource` ops
  /// Per stand-alone library / resource library: the `module @M` names around it, outermost
  /// first (empty at top level), and its chunk.
  std::vector<std::vector<std::string>> library_scope, resource_library_scope;
  std::vector<std::int32_t> library_chunk, resource_library_chunk;
  std::vector<Instance> instances;
  std::int32_t num_chunks = 1;
};

/// The operator type an operation links to (its library may be the instance's or stand-alone).
const OperatorType& operator_type(const Module& m, const Instance& inst, const TypeRef& ref);
const ResourceType& resource_type(const Module& m, const Instance& inst, const TypeRef& ref);

/// Parses SSP text. Throws InputError("NAME:LINE: message") on malformed input, naming the op and
/// what is wrong (an unknown symbol, a use of an undefined value, an auxiliary dependence
/// interleaved with SSA operands, a duplicate symbol, a container missing or out of order, ...).
/// Problem-class rules (a missing latency, ...) are checked by to_problem, not here.
/// Float properties hold the f32 value CIRCT stores (`0.1` reads as 0.1F widened to double).
/// Each chunk's stand-alone libraries are numbered in the order write_ssp prints them
/// (graphs/ssp/ssp_scope_order.hpp: per scope, libraries, then resource libraries, then nested
/// modules), which is file order except where a scope's items come after a nested module.
/// The accepted syntax: graphs/ssp/read_ssp.cpp.
Module read_ssp(std::string_view text, const std::string& name);

/// Prints the module as CIRCT prints it: stand-alone libraries first (inside their `module @M`
/// wrappers), then every instance with its library, resources and operations in order, results
/// named %0, %1, ... in order, auxiliary sources by their symbol, `t<..>`, `z<..>` and `II<..>`
/// where set, chunks separated by `// -----`. read_ssp(write_ssp(m)) gives back an equal module
/// (source lines aside) for every m that read_ssp returns. Floats print as f32. Throws
/// InputError for a dependence it cannot name (auxiliary on an unnamed operation, def-use on a
/// result that does not exist).
std::string write_ssp(const Module& m);

}  // namespace gaus::ssp
