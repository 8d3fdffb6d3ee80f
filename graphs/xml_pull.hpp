// A small pull parser for the XML subset that GraphML and HatScheT resource models use: elements,
// attributes, text, the five predefined entities and character references, CDATA, comments,
// processing instructions and a skipped DOCTYPE. It keeps open elements on an explicit stack (no
// recursion, so deep nesting cannot overflow the call stack), never reads past its buffer, and
// reports malformed input as InputError("FILE:LINE: ...").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graphs/text_scan.hpp"

namespace gaus {

class XmlPull {
 public:
  enum class Event { Start, End, Text, Eof };

  /// `text` must outlive the parser (names are views into it).
  XmlPull(std::string_view text, std::string file) : in_(text), file_(std::move(file)) {}

  /// Advances to the next event. A self-closing element yields Start then End. Eof is returned
  /// once the root element has closed and only whitespace, comments or PIs follow.
  Event next();

  /// Element name of the current Start or End event.
  [[nodiscard]] std::string_view name() const { return name_; }
  /// Line where the current event starts.
  [[nodiscard]] std::int64_t line() const { return line_; }
  /// Attribute of the current Start event (entity-decoded), or nullptr when absent.
  [[nodiscard]] const std::string* attribute(std::string_view key) const;
  /// Decoded character data of the current Text event.
  [[nodiscard]] const std::string& text() const { return text_; }
  /// Open elements; after a Start it counts the new element, after an End it no longer does.
  [[nodiscard]] std::size_t depth() const { return stack_.size(); }
  /// Name of the element `up` levels above the innermost open one ("" when there is none).
  [[nodiscard]] std::string_view open_element(std::size_t up = 0) const {
    return up < stack_.size() ? stack_[stack_.size() - 1 - up].first : std::string_view();
  }
  [[nodiscard]] const std::string& file() const { return file_; }

  /// Throws InputError("FILE:LINE: message") at the current event's line.
  [[noreturn]] void fail(const std::string& message) const;

 private:
  [[noreturn]] void fail_here(const std::string& message) const;
  void skip_until(std::string_view terminator, const char* what);
  void skip_doctype();
  std::string_view read_name();
  void decode_entity(std::string& out);
  void read_start_tag();
  void read_end_tag();
  void read_text();

  TextScanner in_;
  std::string file_;
  std::vector<std::pair<std::string_view, std::int64_t>> stack_;  // open elements, their lines
  std::vector<std::pair<std::string_view, std::string>> attrs_;
  std::string_view name_;
  std::string text_;
  std::int64_t line_ = 1;
  bool pending_end_ = false;  // the last Start was self-closing
  bool root_seen_ = false;
};

}  // namespace gaus
