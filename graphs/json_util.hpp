// Helpers shared by the JSON readers: nlohmann::json parse errors (which carry a byte offset)
// turned into gaus messages with a line, an input iterator that lets a SAX handler know its
// line, and typed scalar values for SAX handlers.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "graphs/text_scan.hpp"

namespace gaus {

/// 1-based line of byte offset `byte` in `text` (clamped to its end).
inline std::int64_t line_at_byte(std::string_view text, std::size_t byte) {
  const std::size_t end = std::min(byte, text.size());
  return 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n');
}

/// Throws InputError("NAME:LINE: JSON syntax error: ...") from an nlohmann parse error thrown
/// (or reported) at byte offset `byte`; `what` is the exception's what(), whose own
/// "[json.exception...] parse error at line L, column C: " prefix is dropped.
[[noreturn]] inline void json_syntax_error(const std::string& name, std::string_view text,
                                           std::size_t byte, std::string_view what) {
  const std::size_t column = what.find("column ");
  if (column != std::string_view::npos) {
    const std::size_t colon = what.find(": ", column);
    if (colon != std::string_view::npos) what.remove_prefix(colon + 2);
  } else if (const std::size_t bracket = what.find("] "); bracket != std::string_view::npos) {
    what.remove_prefix(bracket + 2);
  }
  input_error(name, line_at_byte(text, byte), "JSON syntax error: " + printable(what, 200));
}

/// Input iterator over the text that publishes how far the JSON lexer has read, so the SAX
/// handler can tell the line of each event.
struct JsonTrackingIter {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  const char* p = nullptr;
  const char** reached = nullptr;
  reference operator*() const { return *p; }
  JsonTrackingIter& operator++() {
    *reached = ++p;
    return *this;
  }
  JsonTrackingIter operator++(int) {
    JsonTrackingIter t = *this;
    ++*this;
    return t;
  }
  bool operator==(const JsonTrackingIter& o) const { return p == o.p; }
};

enum class JsonKind { Null, Bool, Int, Float, String, Object, Array };

struct JsonValue {
  JsonKind kind = JsonKind::Null;
  std::int64_t i = 0;
  double f = 0.0;
  const std::string* s = nullptr;
};

inline const char* kind_name(JsonKind k) {
  switch (k) {
    case JsonKind::Null: return "null";
    case JsonKind::Bool: return "a boolean";
    case JsonKind::Int: return "an integer";
    case JsonKind::Float: return "a number";
    case JsonKind::String: return "a string";
    case JsonKind::Object: return "an object";
    case JsonKind::Array: return "an array";
  }
  return "?";
}

/// Integers, also written as integral floats (2.0); nullopt for anything else.
inline std::optional<std::int64_t> as_integer(const JsonValue& v) {
  if (v.kind == JsonKind::Int) return v.i;
  if (v.kind == JsonKind::Float && std::isfinite(v.f) && std::floor(v.f) == v.f &&
      std::fabs(v.f) < 9.0e15)
    return static_cast<std::int64_t>(v.f);
  return std::nullopt;
}

}  // namespace gaus
