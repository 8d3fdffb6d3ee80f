// The native JSON reader's op and edge records (docs/native-json.md) and the side of the reader
// that turns finished records into the ProblemBuilder. read_json.cpp follows the document's
// events and fills one Pending record per op or edge object, checking each value where it
// arrives; at the object's closing '}' it hands the record to RecordBuilder
// (read_json_records.cpp), which checks the required fields, resolves names, and adds it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "graphs/builder.hpp"

namespace gaus::native_json {

/// Field of an op or edge object: the key whose value comes next.
enum class Field { Unknown, Name, Type, Unit, Latency, Blocking, Weight, OutSize, InDelay,
                   OutDelay, From, To, Delay, Distance, Auxiliary };

/// An op or edge object being read: its fields as they stream by, checked and added to the
/// builder at its closing '}'.
struct Pending {
  std::int64_t index = 0, line = 0;
  std::string name, type, unit, from, to;
  bool has_name = false, has_type = false, has_unit = false, has_from = false, has_to = false;
  std::optional<std::int32_t> latency, blocking, delay;
  std::optional<double> weight, out_size, in_delay, out_delay;
  std::int32_t distance = 0;
  bool auxiliary = false;
  std::uint32_t seen = 0;
  std::string error;  // first problem found; thrown at the closing '}' once the name is known
  Field field = Field::Unknown;

  void reset(std::int64_t idx, std::int64_t at) {
    index = idx;
    line = at;
    name.clear(), type.clear(), unit.clear(), from.clear(), to.clear();
    has_name = has_type = has_unit = has_from = has_to = false;
    latency.reset(), blocking.reset(), delay.reset(), weight.reset(), out_size.reset();
    in_delay.reset(), out_delay.reset();
    distance = 0;
    auxiliary = false;
    seen = 0;
    error.clear();
  }
  void problem(const std::string& what) {
    if (error.empty()) error = what;
  }
};

/// Finished op and edge records into a ProblemBuilder; every message names the record
/// ("ops[3] 'x': ...", "edges[5] 'a' -> 'b': ...") at the line of its opening '{'.
class RecordBuilder {
 public:
  /// `text_size` (bytes of the file) sizes the builder's arrays up front.
  RecordBuilder(const std::string& name, std::size_t text_size);

  /// The builder, for the document's own settings (resources, horizon, II).
  ProblemBuilder& builder() { return b_; }

  /// Hints for the hash lookups an edge's names will need at its '}' (once "ops" is done).
  void prefetch_from(const std::string& from) const {
    if (ops_done_ && from != last_from_) b_.prefetch_name(from);
  }
  void prefetch_to(const std::string& to) const {
    if (ops_done_) b_.prefetch_name(to);
  }
  void prefetch_name(const std::string& name) const { b_.prefetch_name(name); }

  /// Every op is known from here on: edges resolve as they come.
  void ops_done() { ops_done_ = true; }
  /// Throws the record's first problem or a missing field; else adds the op.
  void add_op(const Pending& p);
  /// Likewise for an edge; one given before "ops" waits for finish().
  void add_edge(const Pending& e);
  /// Resolves the edges that came before "ops" and, when "resources" was given
  /// (`declared` non-null), checks every op's unit against it; returns the builder.
  ProblemBuilder finish(const std::unordered_set<std::string>* declared);

 private:
  [[noreturn]] void fail_item(const Pending& p, bool edge, const std::string& msg) const;
  void add_edge(const Pending& e, op_id src, op_id dst);

  const std::string& name_;
  ProblemBuilder b_;
  bool ops_done_ = false;
  std::unordered_map<std::string, op_id> unit_first_op_;  // unit -> first op naming it
  std::vector<Pending> early_edges_;
  std::string last_from_;
  op_id last_from_id_ = -1;
};

}  // namespace gaus::native_json
