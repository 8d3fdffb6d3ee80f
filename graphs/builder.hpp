// ProblemBuilder: the one way to make a Problem. Readers, generators and library users add ops,
// edges and resources by name or index; build() applies a TypeLibrary, validates everything,
// lays edges out as CSR and computes a topological order (rejecting distance-0 cycles by naming
// the ops on the cycle).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/library.hpp"
#include "core/problem.hpp"

namespace gaus {

/// One edge as a reader sees it. Its delay is lambda = (adds_latency ? L_src : 0) + delay.
struct EdgeSpec {
  op_id src = 0;
  op_id dst = 0;
  std::int32_t delay = 0;         ///< added to the source latency when adds_latency
  bool adds_latency = true;       ///< lambda = L_src + delay (docs/design.md section 1)
  std::int32_t distance = 0;      ///< delta_e >= 0
  double weight = 0.0;            ///< c_e >= 0
  bool auxiliary = false;         ///< orders the ops but carries no value (kEdgeAuxiliary)
  std::int64_t line = 0;          ///< input line, for messages (0 = unknown)
};

/// Hash that lets unordered maps keyed by std::string be searched with a string_view, so name
/// look-ups allocate nothing.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

/// 64-bit hash of a name's bytes (8 at a time, multiply-mixed): op names are short, and a 10^7-op
/// graph hashes each one at least twice (its op and its edges).
std::uint64_t hash_name(std::string_view s);

/// Raw memory for big tables probed at random: blocks of 4 MiB and more are asked to be backed
/// by huge pages (Linux, madvise), which spares most look-ups a TLB miss on 10^6-10^7-op graphs.
void* huge_allocate(std::size_t bytes);
/// Frees what huge_allocate(bytes) returned.
void huge_deallocate(void* p, std::size_t bytes);

/// A standard allocator over huge_allocate / huge_deallocate.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: rebinding is implicit
  T* allocate(std::size_t n) { return static_cast<T*>(huge_allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) { huge_deallocate(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const { return true; }
};

/// Open-addressing index from op name to op id whose keys live in a NamePool, so it holds no
/// strings. A 16-byte slot keeps 32 hash bits, the id and names of up to 7 bytes inline (the
/// common case), so most look-ups touch one cache line; load <= 0.7.
class NameIndex {
 public:
  void reserve(std::size_t count);
  /// The id of `name`, or -1.
  [[nodiscard]] op_id find(std::string_view name, const NamePool& names) const;
  /// Inserts `id` (whose name is names[id] once added) unless the name is present; returns the
  /// id the name has.
  op_id insert(std::string_view name, op_id id, const NamePool& names);
  [[nodiscard]] std::size_t size() const { return size_; }
  /// Starts loading the slot where `name` would be found (a hint, no effect on results).
  void prefetch(std::string_view name) const {
    if (!slots_.empty())
      __builtin_prefetch(&slots_[(hash_name(name) >> 32) & (slots_.size() - 1)]);
  }

 private:
  struct Slot {
    std::uint64_t key = 0;  // 0 = empty, else (hash32 << 32) | (id + 1)
    std::uint64_t tag = 0;  // short names: their bytes and size (exact); longer: a marker
  };
  void grow(std::size_t slots);
  std::vector<Slot, HugePageAllocator<Slot>> slots_;
  std::size_t size_ = 0;
};

class ProblemBuilder {
 public:
  /// `index_names` = false skips the name index (generators of 10^7 ops with unique names):
  /// find_op is then unavailable and duplicate names are not detected.
  explicit ProblemBuilder(std::string source = {}, bool index_names = true);

  /// Adds an op; `type` may be empty (the op then uses no unit). Throws InputError on a
  /// duplicate name. `line` is only used in messages.
  op_id add_op(std::string_view name, std::string_view type, std::int64_t line = 0);
  /// Index of the op named `name`, or -1.
  [[nodiscard]] op_id find_op(std::string_view name) const;
  /// A hint that `name` is about to be added or looked up: streaming readers call it as soon as
  /// they see a name, so the index's cache miss overlaps the rest of the parse. No other effect.
  void prefetch_name(std::string_view name) const {
    if (index_names_) index_.prefetch(name);
  }
  [[nodiscard]] op_id num_ops() const { return static_cast<op_id>(latency_.size()); }
  [[nodiscard]] std::size_t num_edges() const { return edges_.size(); }
  /// The op's name, its type as given to add_op ("" when none) and its input line (0 = unknown);
  /// for readers that post-process another reader's ops (HeuriGym over DOT).
  [[nodiscard]] std::string_view op_name(op_id op) const {
    return names_[static_cast<std::size_t>(op)];
  }
  [[nodiscard]] std::string_view op_type(op_id op) const {
    const std::int32_t t = op_type_.at(op);
    return t >= 0 ? std::string_view(type_names_[t]) : std::string_view();
  }
  [[nodiscard]] std::int64_t op_line(op_id op) const { return line_.at(op); }
  /// Reserves room for `ops` ops and `edges` edges in all (readers that know their sizes).
  void reserve(std::size_t ops, std::size_t edges) {
    names_.reserve(ops, ops * 8);
    op_type_.reserve(ops);
    latency_.reserve(ops);
    blocking_.reserve(ops);
    weight_.reserve(ops);
    out_size_.reserve(ops);
    unit_.reserve(ops);
    line_.reserve(ops);
    edges_.reserve(edges);
    if (index_names_) index_.reserve(ops);
  }

  // Per-op attributes as given by the file. Unset latency/blocking come from the library.
  void set_latency(op_id op, std::int32_t latency) { latency_.at(op) = latency; }
  void set_blocking(op_id op, std::int32_t blocking) { blocking_.at(op) = blocking; }
  void set_weight(op_id op, double w) { weight_.at(op) = w; }
  void set_out_size(op_id op, double b) { out_size_.at(op) = b; }
  /// Chaining delays of the op (docs/design.md section 1.3): incoming and outgoing, >= 0 and
  /// finite; ops never given delays have 0. Once any op has delays, the Problem has them.
  void set_delays(op_id op, double incoming, double outgoing);
  /// The clock period ops chain within (> 0), or 0 for none. With delays and a cycle time,
  /// build() adds the chain-breaking edges (graphs/chaining.hpp).
  void set_cycle_time(double cycle_time) { cycle_time_ = cycle_time; }
  /// Puts the op on a named unit class (instead of the class derived from its type).
  void set_unit(op_id op, std::string_view unit_class);

  /// Declares a unit class with a limit (kUnlimited = -1). Re-declaring updates the limit.
  void add_resource(std::string_view name, std::int32_t limit);
  [[nodiscard]] bool has_resource(std::string_view name) const;

  void add_edge(const EdgeSpec& e);

  void set_horizon(std::int32_t d) { horizon_ = d; }
  void set_ii(std::int32_t ii) { ii_ = ii; }
  [[nodiscard]] const std::string& source() const { return source_; }

  /// Resolves types against `lib` (library entries win over the file, the file over defaults),
  /// validates and returns the Problem. Throws InputError naming the op, edge or class at fault.
  [[nodiscard]] Problem build(const TypeLibrary& lib = {}) const;

 private:
  [[nodiscard]] std::string op_where(op_id op) const;

  std::string source_;
  NamePool names_;
  NameIndex index_;
  std::vector<std::string> type_names_;
  StringMap<std::int32_t> type_index_;
  std::vector<std::int32_t> op_type_;
  std::vector<std::int32_t> latency_, blocking_;
  std::vector<double> weight_, out_size_;
  std::vector<double> in_delay_, out_delay_;  // empty until an op is given delays
  std::vector<std::int32_t> unit_;  // index into unit_names_, or -1 (derive from type)
  std::vector<std::int64_t> line_;
  std::vector<std::string> unit_names_;
  StringMap<std::int32_t> unit_index_;
  std::vector<std::int32_t> unit_limit_;  // declared limits (kUnlimited when not declared)
  std::vector<EdgeSpec> edges_;
  std::int32_t horizon_ = 0;
  std::int32_t ii_ = 0;
  double cycle_time_ = 0;
  bool index_names_ = true;
};

/// Lays out p.pred_offsets / p.pred_edges (edges into each op, edge ids ascending) from the
/// successor arrays.
void index_predecessors(Problem& p);

/// Computes p.topo_order over distance-0 edges with Boost.Graph. Throws InputError naming the
/// ops of one cycle when the distance-0 edges are not acyclic.
void compute_topological_order(Problem& p);

/// Checks every structural invariant of a Problem (array sizes, CSR offsets, indices, value
/// ranges, topological order). Throws InputError describing the first violation.
void validate(const Problem& p);

}  // namespace gaus
