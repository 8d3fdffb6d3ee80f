// The one order in which write_ssp prints the stand-alone libraries of a chunk, and in which
// read_ssp numbers them, so that read_ssp(write_ssp(m)) gives back the same indices.
//
// The libraries and resource libraries of a chunk form a tree of `module @M { ... }` scopes. A file
// cannot interleave the two lists freely (each module's content is one contiguous block), so the
// reader does not keep file order: it numbers them in this tree's depth-first order, where a
// scope lists its libraries, then its resource libraries, then its nested modules (in the order
// their first library, then first resource library, names them). Linear in the number of
// libraries times the scope depth.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace gaus::ssp {

struct ScopeItem {
  bool resource = false;  ///< a resource library (else an operator library)
  std::size_t index = 0;  ///< position in the list passed to scope_order
};

/// `library_scopes[k]` / `resource_scopes[k]`: the module names around item k, outermost first.
/// Returns every item once, in the printing order described above.
inline std::vector<ScopeItem> scope_order(
    const std::vector<const std::vector<std::string>*>& library_scopes,
    const std::vector<const std::vector<std::string>*>& resource_scopes) {
  struct Node {
    std::vector<ScopeItem> items;
    std::vector<std::pair<std::string, std::size_t>> children;
  };
  std::vector<Node> nodes(1);
  auto insert = [&](const std::vector<std::string>& scope, ScopeItem item) {
    std::size_t at = 0;
    for (const std::string& module : scope) {
      std::size_t next = nodes.size();
      for (const auto& [child_name, child] : nodes[at].children)
        if (child_name == module) next = child;
      if (next == nodes.size()) {
        nodes[at].children.emplace_back(module, next);
        nodes.emplace_back();
      }
      at = next;
    }
    nodes[at].items.push_back(item);
  };
  for (std::size_t k = 0; k < library_scopes.size(); ++k) insert(*library_scopes[k], {false, k});
  for (std::size_t k = 0; k < resource_scopes.size(); ++k) insert(*resource_scopes[k], {true, k});

  std::vector<ScopeItem> out;
  std::vector<std::pair<std::size_t, std::size_t>> stack{{0, 0}};  // node, next child
  out.insert(out.end(), nodes[0].items.begin(), nodes[0].items.end());
  while (!stack.empty()) {
    auto& [node, child] = stack.back();
    if (child == nodes[node].children.size()) {
      stack.pop_back();
      continue;
    }
    const std::size_t next = nodes[node].children[child++].second;
    out.insert(out.end(), nodes[next].items.begin(), nodes[next].items.end());
    stack.emplace_back(next, 0);
  }
  return out;
}

}  // namespace gaus::ssp
