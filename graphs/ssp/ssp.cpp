// The small helpers of the SSP data model (graphs/ssp/ssp.hpp): problem class names and traits
// (CIRCT's include/circt/Scheduling/Problems.h), symbols printed as MLIR prints them, and the
// lookup of a resolved operator or resource type.
#include <string>
#include <string_view>

#include "graphs/ssp/ssp.hpp"

namespace gaus::ssp {

namespace {

struct ClassName {
  ProblemClass c;
  const char* name;
};
constexpr ClassName kClasses[] = {
    {ProblemClass::Problem, "Problem"},
    {ProblemClass::Cyclic, "CyclicProblem"},
    {ProblemClass::Chaining, "ChainingProblem"},
    {ProblemClass::SharedOperators, "SharedOperatorsProblem"},
    {ProblemClass::Modulo, "ModuloProblem"},
    {ProblemClass::ChainingCyclic, "ChainingCyclicProblem"},
};

/// MLIR's bare identifier: [a-zA-Z_][a-zA-Z0-9_$.]*.
bool is_bare_identifier(std::string_view s) {
  if (s.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(s[0])) return false;
  for (const char c : s)
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '$' && c != '.') return false;
  return true;
}

}  // namespace

std::optional<ProblemClass> parse_problem_class(std::string_view name) {
  for (const ClassName& c : kClasses)
    if (name == c.name) return c.c;
  return std::nullopt;
}

const char* problem_class_name(ProblemClass c) {
  for (const ClassName& k : kClasses)
    if (k.c == c) return k.name;
  return "Problem";
}

bool is_cyclic(ProblemClass c) {
  return c == ProblemClass::Cyclic || c == ProblemClass::Modulo ||
         c == ProblemClass::ChainingCyclic;
}

bool is_chaining(ProblemClass c) {
  return c == ProblemClass::Chaining || c == ProblemClass::ChainingCyclic;
}

bool has_limits(ProblemClass c) {
  return c == ProblemClass::SharedOperators || c == ProblemClass::Modulo;
}

std::string format_string(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x20 && c < 0x7f && c != '"') {
      out += ch;
    } else {
      out += '\\';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out + '"';
}

/// Bare when it is an identifier, else a string literal.
std::string format_symbol(std::string_view name) {
  std::string out = "@";
  out += is_bare_identifier(name) ? std::string(name) : format_string(name);
  return out;
}

std::string format_symbol_ref(const SymbolRef& ref) {
  std::string out;
  for (std::size_t k = 0; k < ref.size(); ++k) {
    if (k > 0) out += "::";
    out += format_symbol(ref[k]);
  }
  return out;
}

const OperatorType& operator_type(const Module& m, const Instance& inst, const TypeRef& ref) {
  const Library& lib =
      ref.library < 0 ? inst.library : m.libraries.at(static_cast<std::size_t>(ref.library));
  return lib.types.at(static_cast<std::size_t>(ref.index));
}

const ResourceType& resource_type(const Module& m, const Instance& inst, const TypeRef& ref) {
  const ResourceLibrary& lib = ref.library < 0 ? inst.resources.value()
                                               : m.resource_libraries.at(
                                                     static_cast<std::size_t>(ref.library));
  return lib.types.at(static_cast<std::size_t>(ref.index));
}

}  // namespace gaus::ssp
