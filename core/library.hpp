// How op types map to unit classes, latencies, limits and pipelining. Filled from a library JSON
// file (graphs/library.hpp) and from command-line flags; applied by ProblemBuilder::build.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace gaus {

struct TypeLibrary {
  /// op type -> unit class (an op type absent here is its own class, unless the file names one)
  std::map<std::string, std::string> unit_class;
  /// unit class or op type -> latency (the type's own entry wins over its class's)
  std::map<std::string, std::int32_t> latency;
  /// latency of types with no entry; nullopt keeps the file's value (or 1 when it has none)
  std::optional<std::int32_t> default_latency;
  /// unit class -> limit (kUnlimited = -1); a class absent here keeps the file's limit
  std::map<std::string, std::int32_t> limits;
  /// pipelined units hold the unit 1 cycle; non-pipelined units hold it for the latency.
  /// nullopt keeps the file's blocking times (pipelined when the file has none).
  std::optional<bool> pipelined;

  [[nodiscard]] bool empty() const {
    return unit_class.empty() && latency.empty() && !default_latency && limits.empty() &&
           !pipelined;
  }
};

}  // namespace gaus
