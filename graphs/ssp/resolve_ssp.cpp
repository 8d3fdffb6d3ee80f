// The second half of read_ssp: at the end of each `// -----` chunk, number the chunk's stand-alone
// libraries in scope_order (ssp_scope_order.hpp) and bind every name its instances use.
//
// Operator and resource types resolve as CIRCT's OperationOp::verifySymbolUses does: a flat
// `@T` in the instance's own library (resource block), `@Lib::@T` through the instance's named
// library, then any path from the chunk's top level: `@Lib::@T`, `@M::@N::@Lib::@T` into
// stand-alone libraries, `@Inst::@Lib::@T` into this instance's named library. A path into another
// instance's library is rejected (a TypeRef cannot point there). SSA operands bind to the
// operation that defines the value anywhere in the graph (`%v#i` needs i < its result count),
// auxiliary dependences to the operation of that symbol in the same graph.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "graphs/ssp/ssp.hpp"
#include "graphs/ssp/ssp_parsed.hpp"
#include "graphs/ssp/ssp_scope_order.hpp"
#include "graphs/text_scan.hpp"

namespace gaus::ssp::detail {

namespace {

using NameIndex = std::unordered_map<std::string, std::int32_t>;

template <class Lib>
NameIndex index_types(const Lib& lib) {
  NameIndex out;
  for (std::size_t k = 0; k < lib.types.size(); ++k)
    out.emplace(lib.types[k].name, static_cast<std::int32_t>(k));
  return out;
}

std::optional<std::int32_t> find(const NameIndex& names, const std::string& name) {
  const auto it = names.find(name);
  if (it == names.end()) return std::nullopt;
  return it->second;
}

/// Reorders `items[first..]` (and the parallel scope and chunk lists) so that position first + k
/// holds the old item first + order[k]; returns old local index -> new local index.
template <class T>
std::vector<std::size_t> permute(std::vector<T>& items,
                                 std::vector<std::vector<std::string>>& scopes,
                                 std::vector<std::int32_t>& chunks, std::size_t first,
                                 const std::vector<std::size_t>& order) {
  std::vector<T> new_items;
  std::vector<std::vector<std::string>> new_scopes;
  std::vector<std::int32_t> new_chunks;
  std::vector<std::size_t> new_index(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    new_index[order[k]] = k;
    new_items.push_back(std::move(items[first + order[k]]));
    new_scopes.push_back(std::move(scopes[first + order[k]]));
    new_chunks.push_back(chunks[first + order[k]]);
  }
  for (std::size_t k = 0; k < order.size(); ++k) {
    items[first + k] = std::move(new_items[k]);
    scopes[first + k] = std::move(new_scopes[k]);
    chunks[first + k] = new_chunks[k];
  }
  return new_index;
}

class Resolver {
 public:
  Resolver(Module& m, ParsedChunk& c, const std::string& name) : m_(m), c_(c), name_(name) {}

  void run() {
    renumber();
    for (std::size_t k = c_.first_library; k < m_.libraries.size(); ++k)
      libraries_.push_back(index_types(m_.libraries[k]));
    for (std::size_t k = c_.first_resource; k < m_.resource_libraries.size(); ++k)
      resources_.push_back(index_types(m_.resource_libraries[k]));
    for (PendingInstance& p : c_.instances) instance(p);
  }

 private:
  void renumber() {
    std::vector<const std::vector<std::string>*> lib_scopes, rsrc_scopes;
    for (std::size_t k = c_.first_library; k < m_.libraries.size(); ++k)
      lib_scopes.push_back(&m_.library_scope[k]);
    for (std::size_t k = c_.first_resource; k < m_.resource_libraries.size(); ++k)
      rsrc_scopes.push_back(&m_.resource_library_scope[k]);
    std::vector<std::size_t> lib_order, rsrc_order;
    for (const ScopeItem& item : scope_order(lib_scopes, rsrc_scopes))
      (item.resource ? rsrc_order : lib_order).push_back(item.index);
    const auto lib_index = permute(m_.libraries, m_.library_scope, m_.library_chunk,
                                   c_.first_library, lib_order);
    const auto rsrc_index =
        permute(m_.resource_libraries, m_.resource_library_scope, m_.resource_library_chunk,
                c_.first_resource, rsrc_order);
    for (auto& [path, entry] : c_.symbols) {
      if (entry.kind == SymbolKind::Library)
        entry.index = c_.first_library + lib_index[entry.index - c_.first_library];
      else if (entry.kind == SymbolKind::Resource)
        entry.index = c_.first_resource + rsrc_index[entry.index - c_.first_resource];
    }
  }

  void instance(PendingInstance& p) {
    Instance& inst = m_.instances[p.index];
    const NameIndex own_types = index_types(inst.library);
    const NameIndex own_resources = inst.resources ? index_types(*inst.resources) : NameIndex{};
    for (std::size_t k = 0; k < inst.operations.size(); ++k) {
      Operation& op = inst.operations[k];
      const std::string label = operation_label(op, p.ssa_names[k], k);
      if (op.operator_ref)
        op.operator_type = type(p, inst, *op.operator_ref, false, own_types, op.line, label);
      for (const SymbolRef& ref : op.resource_refs)
        op.resource_types.push_back(type(p, inst, ref, true, own_resources, op.line, label));
      for (std::size_t d = 0; d < op.dependences.size(); ++d)
        dependence(p, inst, op.dependences[d], p.deps[k][d], label);
    }
  }

  void dependence(const PendingInstance& p, const Instance& inst, Dependence& d,
                  const PendingDep& pd, const std::string& label) const {
    if (d.auxiliary) {
      const auto src = find(p.operations, pd.name);
      if (!src)
        input_error(name_, d.line, label +
                                       ": Auxiliary dependence references invalid source "
                                       "operation: " + format_symbol(pd.name));
      d.source = *src;
      d.result = 0;
      return;
    }
    const auto src = find(p.values, pd.name);
    if (!src)
      input_error(name_, d.line,
                  label + ": use of undeclared SSA value name '%" + printable(pd.name) + "'");
    const std::int32_t results = inst.operations[static_cast<std::size_t>(*src)].num_results;
    if (pd.result >= results)
      input_error(name_, d.line,
                  label + ": reference to invalid result number '%" + printable(pd.name) + "#" +
                      std::to_string(pd.result) + "' (it defines " + std::to_string(results) +
                      (results == 1 ? " result)" : " results)"));
    d.source = *src;
    d.result = pd.result < 0 ? 0 : pd.result;
  }

  /// Binds `ref` (an operator type, or a resource type when `resource`) as described on top.
  TypeRef type(const PendingInstance& p, const Instance& inst, const SymbolRef& ref, bool resource,
               const NameIndex& own, std::int64_t line, const std::string& label) const {
    const std::string own_name = resource ? (inst.resources ? inst.resources->name : "")
                                          : inst.library.name;
    const bool own_block = !resource || inst.resources.has_value();
    std::optional<std::int32_t> found;
    if (own_block && ref.size() == 1) found = find(own, ref[0]);
    if (!found && own_block && ref.size() == 2 && !own_name.empty() && ref[0] == own_name)
      found = find(own, ref[1]);
    if (found) return {-1, *found};

    std::vector<std::string> path;
    for (std::size_t k = 0; k + 1 < ref.size(); ++k) {
      path.push_back(ref[k]);
      const auto it = c_.symbols.find(path);
      if (it == c_.symbols.end()) break;
      const SymbolEntry& e = it->second;
      if (e.kind == SymbolKind::Module) continue;
      const SymbolKind want = resource ? SymbolKind::Resource : SymbolKind::Library;
      if (e.kind == want && k + 2 == ref.size()) {
        const std::size_t first = resource ? c_.first_resource : c_.first_library;
        const auto& names = resource ? resources_ : libraries_;
        if (const auto t = find(names[e.index - first], ref[k + 1]))
          return {static_cast<std::int32_t>(e.index), *t};
      }
      if (e.kind == SymbolKind::Instance && k + 3 == ref.size()) {
        const Instance& other = m_.instances[e.index];
        const std::string& block =
            resource ? (other.resources ? other.resources->name : "") : other.library.name;
        if (!block.empty() && block == ref[k + 1]) {
          if (e.index != p.index)
            input_error(name_, line,
                        label + ": " + (resource ? "resource" : "operator") + " type " +
                            format_symbol_ref(ref) +
                            " is in another instance, which gaus does not support");
          if (const auto t = find(own, ref[k + 2])) return {-1, *t};
        }
      }
      break;
    }
    input_error(name_, line,
                label + (resource ? ": Linked resource type property references invalid "
                                    "resource type: "
                                  : ": Linked operator type property references invalid "
                                    "operator type: ") +
                    format_symbol_ref(ref));
  }

  Module& m_;
  ParsedChunk& c_;
  const std::string& name_;
  std::vector<NameIndex> libraries_, resources_;  // the chunk's stand-alone ones, by local index
};

}  // namespace

std::string operation_label(const Operation& op, const std::string& ssa_name, std::size_t index) {
  if (!op.name.empty()) return "operation " + format_symbol(op.name);
  if (!ssa_name.empty()) return "operation %" + printable(ssa_name);
  return "unnamed operation #" + std::to_string(index) + " in the graph";
}

void resolve_chunk(Module& m, ParsedChunk& chunk, const std::string& name) {
  Resolver(m, chunk, name).run();
}

}  // namespace gaus::ssp::detail
