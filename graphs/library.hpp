// Type libraries: JSON files shaped like ../shared/data/express/limits.json, and the command-line
// flags --latency TYPE=N, --limit CLASS=N, --unit-class TYPE=CLASS, --non-pipelined.
#pragma once

#include <string>
#include <string_view>

#include "core/library.hpp"

namespace gaus {

/// Parses a library JSON:
///   {"unit_class": {TYPE: CLASS}, "latency": {TYPE_OR_CLASS: N, "default": N},
///    "pipelined": bool, "limits": {DESIGN: {CLASS: N}} or {CLASS: N}}
/// With per-design limits, `design` picks the table (an error lists the designs when it is
/// missing). Unknown top-level keys other than "note"/"comment" are errors.
TypeLibrary parse_library(std::string_view json_text, const std::string& name,
                          const std::string& design);

/// Reads and parses a library file (see parse_library).
TypeLibrary load_library(const std::string& path, const std::string& design);

/// "TYPE=N" → lib.latency[TYPE] = N (N >= 0).
void apply_latency_flag(TypeLibrary& lib, std::string_view flag);
/// "CLASS=N" → lib.limits[CLASS] = N (N >= 0, or -1 for unlimited).
void apply_limit_flag(TypeLibrary& lib, std::string_view flag);
/// "TYPE=CLASS" → lib.unit_class[TYPE] = CLASS.
void apply_unit_class_flag(TypeLibrary& lib, std::string_view flag);

}  // namespace gaus
