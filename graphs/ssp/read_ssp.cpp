// SSP reader: the textual form of CIRCT's `ssp` dialect (docs/Dialects/SSP/RationaleSSP.md,
// include/circt/Dialect/SSP/SSPOps.td in llvm/circt) into a Module (graphs/ssp/ssp.hpp).
//
// Accepted, at the top level of each `// -----` chunk (CIRCT's -split-input-file marker):
//   ssp.instance [@NAME | "NAME"] of "CLASS" [II<N>] { library .. [resource ..] graph .. }
//   ssp.library @NAME { operator_type ... }        ssp.resource @NAME { resource_type ... }
//   module @NAME { stand-alone libraries and named modules }, nested up to 64 deep
//   module { ... } (or builtin.module): a transparent wrapper around the whole chunk
// Inside an instance (the `ssp.` prefix is optional there): `library [@NAME] { operator_type
// @T [latency<N>, incDelay<F>, outDelay<F>, limit<K>] ... }`, `resource [@NAME] { resource_type
// @R [limit<K>, ii<N>] ... }`, `graph { operations }`, in that order, the resource block
// optional (the older syntax with limits on operator types). An operation is
//   [%v[:N] =] operation<[@A::@B...]> [uses[@R, ...] | uses<@R, ...>] [@NAME] (DEPS) [t<N>, z<F>]
// with the uses list and the name in either order; DEPS are SSA operands `%v` / `%v#i` first,
// then auxiliary ones `@OP`, each optionally followed by `[dist<D>]`. SSA operands may refer to
// operations defined later (the graph is an MLIR graph region). Properties may be spelled with
// the `#ssp.` prefix; floats are f32 values (`1.0`, `1.000000e-01`, with or without `: f32`, or
// `: f64`), rounded to f32 as CIRCT stores them. Symbols are bare identifiers or quoted strings.
//
// Rejected with "NAME:LINE: message" (InputError): any other token or op, an unnamed stand-alone
// library, a missing, repeated or misplaced container, an unknown, misplaced or repeated
// property, integers outside [0, 2^31) (latency, limit, t, dist, II; result counts >= 1),
// floats outside f32's finite range, duplicate symbols in one scope, redefined SSA values,
// operands after auxiliary dependences, and (resolve_ssp.cpp) references to undefined values,
// result numbers, operations, operator or resource types. Instances inside a named module,
// unnamed nested modules and attribute dictionaries are not supported.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/error.hpp"
#include "graphs/ssp/ssp.hpp"
#include "graphs/ssp/ssp_lexer.hpp"
#include "graphs/ssp/ssp_parsed.hpp"
#include "graphs/ssp/ssp_properties.hpp"
#include "graphs/text_scan.hpp"

namespace gaus::ssp {

namespace {

using detail::f32_property;
using detail::int_property;
using detail::int_token;
using detail::PendingDep;
using detail::PendingInstance;
using detail::Property;
using detail::read_properties;
using detail::reject_property;
using detail::SymbolEntry;
using detail::SymbolKind;

constexpr int kMaxModuleDepth = 64;
constexpr std::int32_t kMaxInt = std::numeric_limits<std::int32_t>::max();

/// `word`, or `ssp.word` (the dialect prefix is optional inside ssp ops).
bool is_op(const Token& t, std::string_view word) {
  if (t.kind != Tok::Ident) return false;
  std::string_view s = t.text;
  if (s.starts_with("ssp.")) s.remove_prefix(4);
  return s == word;
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& name) : lex_(text, name) {}

  Module parse() {
    bool wrapped = false;  // inside a top-level `module { ... }`
    std::int64_t wrap_line = 0;
    std::vector<std::string> path;
    for (;;) {
      const Token& t = lex_.peek();
      if (t.kind == Tok::End || t.kind == Tok::ChunkSep) {
        if (wrapped) lex_.fail(wrap_line, "unterminated 'module' (no closing '}')");
        const bool end = t.kind == Tok::End;
        lex_.next();
        finish_chunk();
        if (end) break;
        ++m_.num_chunks;
        continue;
      }
      if (wrapped && t.kind == Tok::RBrace) {
        lex_.next();
        wrapped = false;
        continue;
      }
      if (!wrapped && !saw_item_ && t.kind == Tok::Ident &&
          (t.text == "module" || t.text == "builtin.module")) {
        const Token m = lex_.next();
        if (lex_.peek().kind != Tok::Symbol) {  // the unnamed wrapper
          lex_.expect(Tok::LBrace, "'{' after 'module'");
          wrapped = true;
          wrap_line = m.line;
          continue;
        }
        module_op(m, path, 1);
      } else {
        item(lex_.next(), path, 0);
      }
      saw_item_ = true;
    }
    return std::move(m_);
  }

 private:
  [[noreturn]] void fail(std::int64_t line, const std::string& msg) const { lex_.fail(line, msg); }

  void finish_chunk() {
    detail::resolve_chunk(m_, chunk_, lex_.name());
    chunk_ = {};
    chunk_.first_library = m_.libraries.size();
    chunk_.first_resource = m_.resource_libraries.size();
    saw_item_ = false;
  }

  /// Enters `path + name` into the chunk's symbol table.
  void declare(std::vector<std::string> path, const std::string& name, SymbolEntry entry,
               std::int64_t line) {
    path.push_back(name);
    if (!chunk_.symbols.emplace(std::move(path), entry).second)
      fail(line, "redefinition of symbol named '" + printable(name) + "'");
  }

  /// One op at module level (`path` empty: the chunk's top level).
  void item(const Token& t, std::vector<std::string>& path, int depth) {
    if (t.kind == Tok::Ident && (t.text == "module" || t.text == "builtin.module")) {
      module_op(t, path, depth + 1);
    } else if (t.kind == Tok::Ident && (t.text == "ssp.library" || t.text == "ssp.resource")) {
      standalone_library(t, path);
    } else if (t.kind == Tok::Ident && t.text == "ssp.instance") {
      if (!path.empty())
        fail(t.line, "ssp.instance inside 'module " + format_symbol(path.back()) +
                         "' is not supported (only stand-alone libraries may be scoped)");
      instance(t.line);
    } else {
      fail(t.line, "expected 'ssp.instance', 'ssp.library', 'ssp.resource' or 'module', found " +
                       describe(t));
    }
  }

  void module_op(const Token& t, std::vector<std::string>& path, int depth) {
    if (depth > kMaxModuleDepth)
      fail(t.line, "modules nested more than " + std::to_string(kMaxModuleDepth) + " deep");
    if (lex_.peek().kind != Tok::Symbol)
      fail(t.line, "'module' must be named here (module @NAME { ... }); only the first op of a "
                   "chunk may be an unnamed module around it");
    const std::string name = lex_.next().text;
    declare(path, name, {SymbolKind::Module, 0}, t.line);
    lex_.expect(Tok::LBrace, "'{' after 'module " + format_symbol(name) + "'");
    path.push_back(name);
    while (!lex_.accept(Tok::RBrace)) {
      if (lex_.peek().kind == Tok::End || lex_.peek().kind == Tok::ChunkSep)
        fail(t.line, "unterminated 'module " + format_symbol(name) + "' (no closing '}')");
      item(lex_.next(), path, depth);
    }
    path.pop_back();
  }

  void standalone_library(const Token& t, const std::vector<std::string>& path) {
    const bool resource = t.text == "ssp.resource";
    if (lex_.peek().kind != Tok::Symbol)
      fail(t.line, t.text + " outside of 'ssp.instance' must be named");
    const std::string name = lex_.next().text;
    if (resource) {
      declare(path, name, {SymbolKind::Resource, m_.resource_libraries.size()}, t.line);
      m_.resource_libraries.push_back(resource_body(name, t.line));
      m_.resource_library_scope.push_back(path);
      m_.resource_library_chunk.push_back(m_.num_chunks - 1);
    } else {
      declare(path, name, {SymbolKind::Library, m_.libraries.size()}, t.line);
      m_.libraries.push_back(library_body(name, t.line));
      m_.library_scope.push_back(path);
      m_.library_chunk.push_back(m_.num_chunks - 1);
    }
  }

  Library library_body(const std::string& name, std::int64_t line) {
    Library lib{name, {}, line};
    std::unordered_set<std::string> seen;
    lex_.expect(Tok::LBrace, "'{' to open the library");
    while (!lex_.accept(Tok::RBrace)) {
      const Token t = lex_.next();
      if (!is_op(t, "operator_type"))
        fail(t.line, "expected 'operator_type' or '}' in a library, found " + describe(t));
      OperatorType type;
      type.line = t.line;
      type.name = lex_.expect(Tok::Symbol, "the operator type's name (@NAME)").text;
      if (!seen.insert(type.name).second)
        fail(t.line, "redefinition of symbol named '" + printable(type.name) + "'");
      const std::string where = "operator type " + format_symbol(type.name);
      for (const Property& p : read_properties(lex_)) {
        if (p.name == "latency")
          type.latency = int_property(lex_, p, 0, where);
        else if (p.name == "incDelay")
          type.incoming_delay = f32_property(lex_, p, where);
        else if (p.name == "outDelay")
          type.outgoing_delay = f32_property(lex_, p, where);
        else if (p.name == "limit")
          type.limit = int_property(lex_, p, 0, where);
        else
          reject_property(lex_, p, where, "latency, incDelay, outDelay, limit");
      }
      lib.types.push_back(std::move(type));
    }
    return lib;
  }

  ResourceLibrary resource_body(const std::string& name, std::int64_t line) {
    ResourceLibrary lib{name, {}, line};
    std::unordered_set<std::string> seen;
    lex_.expect(Tok::LBrace, "'{' to open the resource library");
    while (!lex_.accept(Tok::RBrace)) {
      const Token t = lex_.next();
      if (!is_op(t, "resource_type"))
        fail(t.line, "expected 'resource_type' or '}' in a resource library, found " + describe(t));
      ResourceType type;
      type.line = t.line;
      type.name = lex_.expect(Tok::Symbol, "the resource type's name (@NAME)").text;
      if (!seen.insert(type.name).second)
        fail(t.line, "redefinition of symbol named '" + printable(type.name) + "'");
      const std::string where = "resource type " + format_symbol(type.name);
      for (const Property& p : read_properties(lex_)) {
        if (p.name == "limit")
          type.limit = int_property(lex_, p, 0, where);
        else if (p.name == "ii")
          type.ii = int_property(lex_, p, 0, where);
        else
          reject_property(lex_, p, where, "limit, ii");
      }
      lib.types.push_back(std::move(type));
    }
    return lib;
  }

  void instance(std::int64_t line) {
    Instance inst;
    inst.line = line;
    inst.chunk = m_.num_chunks - 1;
    if (lex_.peek().kind == Tok::Symbol || lex_.peek().kind == Tok::String)
      inst.name = lex_.next().text;
    const std::string label =
        "ssp.instance" + (inst.name.empty() ? "" : " " + format_symbol(inst.name));
    if (!lex_.accept_word("of")) fail(lex_.peek().line, "expected 'of' after '" + label + "'");
    inst.class_name = lex_.expect(Tok::String, "the problem class (a quoted string)").text;
    inst.problem_class = parse_problem_class(inst.class_name);
    for (const Property& p : read_properties(lex_)) {
      if (p.name == "II")
        inst.ii = int_property(lex_, p, 0, label);
      else
        reject_property(lex_, p, label, "II");
    }
    if (!inst.name.empty())
      declare({}, inst.name, {SymbolKind::Instance, m_.instances.size()}, line);
    PendingInstance pending;
    pending.index = m_.instances.size();
    lex_.expect(Tok::LBrace, "'{' to open the instance");
    bool library = false, resource = false, graph = false;
    const std::string containers =
        label + ": must contain exactly one 'library' op and one 'graph' op";
    const std::string order = label + ": must contain the 'library' op followed by the 'graph' op";
    while (!lex_.accept(Tok::RBrace)) {
      const Token t = lex_.next();
      if (is_op(t, "library")) {
        if (library) fail(t.line, containers);
        if (graph) fail(t.line, order);
        library = true;
        inst.library = library_body(optional_name(), t.line);
      } else if (is_op(t, "resource")) {
        if (resource) fail(t.line, label + ": must contain at most one 'resource' op");
        if (!library || graph)
          fail(t.line, label + ": the 'resource' op must come after 'library' and before 'graph'");
        resource = true;
        const std::string name = optional_name();
        if (!name.empty() && name == inst.library.name)
          fail(t.line, "redefinition of symbol named '" + printable(name) + "'");
        inst.resources = resource_body(name, t.line);
      } else if (is_op(t, "graph")) {
        if (graph) fail(t.line, containers);
        if (!library) fail(t.line, order);
        graph = true;
        graph_body(inst, pending);
      } else {
        fail(t.line, "expected 'library', 'resource', 'graph' or '}' in " + label + ", found " +
                         describe(t));
      }
    }
    if (!library || !graph) fail(line, containers);
    m_.instances.push_back(std::move(inst));
    chunk_.instances.push_back(std::move(pending));
  }

  void graph_body(Instance& inst, PendingInstance& pending) {
    lex_.expect(Tok::LBrace, "'{' to open the graph");
    while (!lex_.accept(Tok::RBrace)) {
      if (inst.operations.size() >= static_cast<std::size_t>(kMaxInt))
        fail(lex_.peek().line, "too many operations in one graph");
      operation(inst, pending);
    }
  }

  void operation(Instance& inst, PendingInstance& pending) {
    Operation op;
    op.line = lex_.peek().line;
    const auto index = static_cast<std::int32_t>(inst.operations.size());
    std::string ssa;
    if (lex_.peek().kind == Tok::Value) {
      ssa = lex_.next().text;
      op.num_results = 1;
      if (lex_.accept(Tok::Colon)) {
        const Token n = lex_.expect(Tok::Number, "a result count after ':'");
        op.num_results = int_token(lex_, n, 1, "the result count of '%" + printable(ssa) + "'");
      }
      lex_.expect(Tok::Equals, "'=' after '%" + printable(ssa) + "'");
      if (!pending.values.emplace(ssa, index).second)
        fail(op.line, "redefinition of SSA value '%" + printable(ssa) + "'");
    }
    const Token kw = lex_.next();
    if (!is_op(kw, "operation"))
      fail(kw.line, "expected 'operation' or '}' in the graph, found " + describe(kw));
    lex_.expect(Tok::Less, "'<' after 'operation'");
    if (lex_.peek().kind == Tok::Symbol) op.operator_ref = symbol_ref();
    lex_.expect(Tok::Greater, "'>' after the operator type");
    bool uses = false;
    for (;;) {
      if (!uses && lex_.accept_word("uses")) {
        uses = true;
        const Token open = lex_.next();
        if (open.kind != Tok::LBracket && open.kind != Tok::Less)
          fail(open.line, "expected '[' after 'uses', found " + describe(open));
        const Tok close = open.kind == Tok::LBracket ? Tok::RBracket : Tok::Greater;
        while (!lex_.accept(close)) {
          if (!op.resource_refs.empty()) lex_.expect(Tok::Comma, "',' between resource types");
          if (lex_.peek().kind != Tok::Symbol)
            fail(lex_.peek().line, "expected symbol reference inside uses[...], found " +
                                       describe(lex_.peek()));
          op.resource_refs.push_back(symbol_ref());
        }
      } else if (op.name.empty() && lex_.peek().kind == Tok::Symbol) {
        op.name = lex_.next().text;
        if (!pending.operations.emplace(op.name, index).second)
          fail(op.line, "redefinition of symbol named '" + printable(op.name) + "'");
      } else {
        break;
      }
    }
    const std::string label = detail::operation_label(op, ssa, inst.operations.size());
    std::vector<PendingDep> deps;
    std::string first_aux;
    lex_.expect(Tok::LParen, "'(' to open the dependences of " + label);
    while (!lex_.accept(Tok::RParen)) {
      if (!op.dependences.empty()) lex_.expect(Tok::Comma, "',' or ')' after a dependence");
      const Token t = lex_.next();
      Dependence d;
      d.line = t.line;
      PendingDep pd{t.text, -1};
      if (t.kind == Tok::Symbol) {
        d.auxiliary = true;
        if (first_aux.empty()) first_aux = t.text;
      } else if (t.kind == Tok::Value) {
        if (!first_aux.empty())
          fail(t.line, label + ": Auxiliary dependence from " + format_symbol(first_aux) +
                           " is interleaved with SSA operands");
        if (lex_.peek().kind == Tok::Hash) {
          Token n = lex_.next();
          n.kind = Tok::Number;
          pd.result = int_token(lex_, n, 0, "the result number of '%" + printable(t.text) + "'");
        }
      } else {
        fail(t.line, label + ": expected SSA value or symbol reference, found " + describe(t));
      }
      for (const Property& p : read_properties(lex_)) {
        if (p.name == "dist")
          d.distance = int_property(lex_, p, 0, "a dependence of " + label);
        else
          reject_property(lex_, p, "a dependence of " + label, "dist");
      }
      op.dependences.push_back(d);
      deps.push_back(std::move(pd));
    }
    for (const Property& p : read_properties(lex_)) {
      if (p.name == "t")
        op.start_time = int_property(lex_, p, 0, label);
      else if (p.name == "z")
        op.start_time_in_cycle = f32_property(lex_, p, label);
      else
        reject_property(lex_, p, label, "t, z");
    }
    if (lex_.peek().kind == Tok::LBrace)
      fail(lex_.peek().line, label + ": attribute dictionaries are not supported");
    inst.operations.push_back(std::move(op));
    pending.ssa_names.push_back(std::move(ssa));
    pending.deps.push_back(std::move(deps));
  }

  /// The name of `library [@NAME]` and `resource [@NAME]`; "" when there is none.
  std::string optional_name() {
    return lex_.peek().kind == Tok::Symbol ? lex_.next().text : std::string();
  }

  /// @A(::@B)*
  SymbolRef symbol_ref() {
    SymbolRef ref{lex_.expect(Tok::Symbol, "a symbol reference").text};
    while (lex_.accept(Tok::ColonColon))
      ref.push_back(lex_.expect(Tok::Symbol, "a symbol after '::'").text);
    return ref;
  }

  SspLexer lex_;
  Module m_;
  detail::ParsedChunk chunk_;
  bool saw_item_ = false;  // the chunk has an op before the current token
};

}  // namespace

Module read_ssp(std::string_view text, const std::string& name) {
  return Parser(text, name).parse();
}

}  // namespace gaus::ssp
