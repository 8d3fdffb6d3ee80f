// What read_ssp's parser (graphs/ssp/read_ssp.cpp) hands to its resolver
// (graphs/ssp/resolve_ssp.cpp) at the end of each `// -----` chunk: the chunk's symbol table and,
// per instance, the names its operations use before they are bound to operations and types.
// Internal to the reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "graphs/ssp/ssp.hpp"

namespace gaus::ssp::detail {

/// What a chunk-level symbol path (`@M::@Lib`, `@Inst`) names.
enum class SymbolKind { Module, Library, Resource, Instance };

struct SymbolEntry {
  SymbolKind kind = SymbolKind::Module;
  std::size_t index = 0;  ///< into Module::libraries / resource_libraries / instances
};

/// The source of one dependence as written: `%name#result` or `@name`.
struct PendingDep {
  std::string name;
  std::int32_t result = -1;  ///< -1: no `#i` written (result 0)
};

struct PendingInstance {
  std::size_t index = 0;  ///< into Module::instances
  /// Per operation: its SSA name as written ("" when it defines none) and its dependences'
  /// sources, parallel to Operation::dependences.
  std::vector<std::string> ssa_names;
  std::vector<std::vector<PendingDep>> deps;
  std::unordered_map<std::string, std::int32_t> values;      ///< SSA name -> operation
  std::unordered_map<std::string, std::int32_t> operations;  ///< symbol -> operation
};

struct ParsedChunk {
  /// Every named module, stand-alone library and instance of the chunk by its full path.
  std::map<std::vector<std::string>, SymbolEntry> symbols;
  std::vector<PendingInstance> instances;
  std::size_t first_library = 0;   ///< the chunk's libraries are Module::libraries[first_library..]
  std::size_t first_resource = 0;  ///< likewise for Module::resource_libraries
};

/// "operation @name", "operation %ssa" or "unnamed operation #INDEX in the graph" (messages).
std::string operation_label(const Operation& op, const std::string& ssa_name, std::size_t index);

/// Numbers the chunk's stand-alone libraries in scope_order, then binds every operator type,
/// resource type, SSA operand and auxiliary dependence of its instances. Throws InputError.
void resolve_chunk(Module& m, ParsedChunk& chunk, const std::string& name);

}  // namespace gaus::ssp::detail
