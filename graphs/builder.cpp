#include "graphs/builder.hpp"

#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "core/error.hpp"
#include "graphs/chaining.hpp"

namespace gaus {

namespace {
constexpr std::int32_t kUnset = std::numeric_limits<std::int32_t>::min();
inline std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}
}  // namespace

std::uint64_t hash_name(std::string_view s) {
  constexpr std::uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull;
  std::uint64_t h = k0 ^ s.size();
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = mix(h ^ w, k1);
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = mix(h ^ w ^ (std::uint64_t(n) << 56), k1);
  }
  return mix(h, k0);
}

namespace {
constexpr std::size_t kHugeMin = std::size_t(4) << 20, kHugePage = std::size_t(2) << 20;
}  // namespace

void* huge_allocate(std::size_t bytes) {
#if defined(__linux__)
  if (bytes >= kHugeMin) {
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (p == nullptr) throw std::bad_alloc();
    ::madvise(p, rounded, MADV_HUGEPAGE);  // a hint: without huge pages it merely runs slower
    return p;
  }
#endif
  return ::operator new(bytes);
}

void huge_deallocate(void* p, std::size_t bytes) {
#if defined(__linux__)
  if (bytes >= kHugeMin) return std::free(p);
#endif
  ::operator delete(p);
}

namespace {
constexpr std::uint64_t kLongTag = 0xffull << 56;
// Names of up to 7 bytes: the bytes and the size, so equal tags mean equal names.
std::uint64_t name_tag(std::string_view name) {
  if (name.size() > 7) return kLongTag;
  std::uint64_t t = 0;
  std::memcpy(&t, name.data(), name.size());
  return t | (static_cast<std::uint64_t>(name.size()) << 56);
}
bool over_load(std::size_t count, std::size_t slots) { return count * 10 > slots * 7; }
}  // namespace


void NameIndex::reserve(std::size_t count) {
  std::size_t slots = std::max<std::size_t>(slots_.size(), 16);
  while (over_load(count, slots)) slots *= 2;
  if (slots > slots_.size()) grow(slots);
}

void NameIndex::grow(std::size_t slots) {
  // Slots keep 32 hash bits, enough to place every entry in a table of up to 2^32 slots.
  decltype(slots_) old(slots);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& e : old) {
    if (e.key == 0) continue;
    std::size_t i = static_cast<std::size_t>(e.key >> 32) & mask;
    while (slots_[i].key != 0) i = (i + 1) & mask;
    slots_[i] = e;
  }
}

op_id NameIndex::find(std::string_view name, const NamePool& names) const {
  if (slots_.empty()) return -1;
  const std::uint64_t h = hash_name(name) >> 32, tag = name_tag(name);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
    const Slot& e = slots_[i];
    if (e.key == 0) return -1;
    if ((e.key >> 32) == h && e.tag == tag) {
      const auto id = static_cast<op_id>((e.key & 0xffffffffu) - 1);
      if (tag != kLongTag || names[static_cast<std::size_t>(id)] == name) return id;
    }
  }
}

op_id NameIndex::insert(std::string_view name, op_id id, const NamePool& names) {
  if (over_load(size_ + 1, slots_.size())) grow(std::max<std::size_t>(16, slots_.size() * 2));
  const std::uint64_t h = hash_name(name) >> 32, tag = name_tag(name);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
    Slot& e = slots_[i];
    if (e.key == 0) {
      e.key = (h << 32) | (static_cast<std::uint64_t>(id) + 1);
      e.tag = tag;
      ++size_;
      return id;
    }
    if ((e.key >> 32) == h && e.tag == tag) {
      const auto old = static_cast<op_id>((e.key & 0xffffffffu) - 1);
      if (tag != kLongTag || names[static_cast<std::size_t>(old)] == name) return old;
    }
  }
}

ProblemBuilder::ProblemBuilder(std::string source, bool index_names)
    : source_(std::move(source)), index_names_(index_names) {}

op_id ProblemBuilder::add_op(std::string_view name, std::string_view type, std::int64_t line) {
  if (latency_.size() >= static_cast<std::size_t>(std::numeric_limits<op_id>::max()))
    input_error(source_, line, "too many ops (more than 2^31 - 1)");
  const auto id = static_cast<op_id>(latency_.size());
  if (index_names_) {
    const op_id first = index_.insert(name, id, names_);
    if (first != id) {
      // Both places: the lines when the reader gave them, else the ops' positions.
      const std::string here = line > 0 ? "" : " as op " + std::to_string(id + 1);
      const std::string there = line_[first] > 0 ? "at line " + std::to_string(line_[first])
                                                 : "as op " + std::to_string(first + 1);
      input_error(source_, line,
                  "duplicate op name '" + std::string(name) + "'" + here + " (first defined " +
                      there + ")");
    }
  }
  names_.push_back(name);
  std::int32_t t = -1;
  if (!type.empty()) {
    // Look up before inserting: almost every op repeats a known type, and emplace would
    // allocate a key string on every call.
    if (!type_names_.empty() && type_names_.back() == type) {
      t = static_cast<std::int32_t>(type_names_.size()) - 1;
    } else if (auto it = type_index_.find(type); it != type_index_.end()) {
      t = it->second;
    } else {
      t = static_cast<std::int32_t>(type_names_.size());
      type_index_.emplace(std::string(type), t);
      type_names_.emplace_back(type);
    }
  }
  op_type_.push_back(t);
  latency_.push_back(kUnset);
  blocking_.push_back(kUnset);
  weight_.push_back(1.0);
  out_size_.push_back(1.0);
  unit_.push_back(-1);
  line_.push_back(line);
  return id;
}

op_id ProblemBuilder::find_op(std::string_view name) const {
  if (!index_names_) throw Error("ProblemBuilder::find_op: built without a name index");
  return index_.find(name, names_);
}

void ProblemBuilder::add_resource(std::string_view name, std::int32_t limit) {
  auto [it, inserted] =
      unit_index_.emplace(std::string(name), static_cast<std::int32_t>(unit_names_.size()));
  if (inserted) {
    unit_names_.emplace_back(name);
    unit_limit_.push_back(limit);
  } else {
    unit_limit_[it->second] = limit;
  }
}

bool ProblemBuilder::has_resource(std::string_view name) const {
  return unit_index_.find(name) != unit_index_.end();
}

void ProblemBuilder::set_unit(op_id op, std::string_view unit_class) {
  auto it = unit_index_.find(unit_class);
  std::int32_t u;
  if (it == unit_index_.end()) {
    u = static_cast<std::int32_t>(unit_names_.size());
    unit_index_.emplace(std::string(unit_class), u);
    unit_names_.emplace_back(unit_class);
    unit_limit_.push_back(kUnlimited);
  } else {
    u = it->second;
  }
  unit_.at(op) = u;
}

void ProblemBuilder::add_edge(const EdgeSpec& e) { edges_.push_back(e); }

void ProblemBuilder::set_delays(op_id op, double incoming, double outgoing) {
  if (op < 0 || op >= num_ops()) throw Error("ProblemBuilder::set_delays: op out of range");
  if (in_delay_.size() < static_cast<std::size_t>(num_ops())) {
    in_delay_.resize(static_cast<std::size_t>(num_ops()), 0.0);
    out_delay_.resize(static_cast<std::size_t>(num_ops()), 0.0);
  }
  in_delay_[op] = incoming;
  out_delay_[op] = outgoing;
}

std::string ProblemBuilder::op_where(op_id op) const {
  return where(source_, line_[op]) + ": op '" + std::string(names_[op]) + "'";
}

Problem ProblemBuilder::build(const TypeLibrary& lib) const {
  Problem p;
  p.source = source_;
  const op_id n = num_ops();
  p.names = names_;
  p.type_names = type_names_;
  p.op_type = op_type_;
  p.weight = weight_;
  p.out_size = out_size_;
  p.horizon = horizon_;
  p.ii = ii_;
  if (horizon_ < 0) input_error(source_, 0, "negative horizon " + std::to_string(horizon_));
  if (ii_ < 0) input_error(source_, 0, "negative initiation interval " + std::to_string(ii_));

  // ---- unit classes: declared ones first (in declaration order), then derived from types ----
  std::vector<std::string> unit_names = unit_names_;
  StringMap<std::int32_t> unit_index = unit_index_;
  std::vector<std::int32_t> limits = unit_limit_;
  auto unit_of_class = [&](const std::string& c) {
    auto [it, inserted] = unit_index.emplace(c, static_cast<std::int32_t>(unit_names.size()));
    if (inserted) {
      unit_names.push_back(c);
      limits.push_back(kUnlimited);
    }
    return it->second;
  };
  // A type gets a derived class only when one of its ops has no explicit unit, so a file that
  // names every op's unit (native JSON, GraphML) gains no empty classes named after its types.
  std::vector<char> type_needs_unit(type_names_.size(), 0);
  for (op_id i = 0; i < n; ++i)
    if (unit_[i] < 0 && op_type_[i] >= 0) type_needs_unit[op_type_[i]] = 1;
  std::vector<std::int32_t> type_unit(type_names_.size(), kNoResource);
  for (std::size_t t = 0; t < type_names_.size(); ++t) {
    if (!type_needs_unit[t]) continue;
    auto it = lib.unit_class.find(type_names_[t]);
    type_unit[t] = unit_of_class(it != lib.unit_class.end() ? it->second : type_names_[t]);
  }
  for (const auto& [cls, limit] : lib.limits) {
    auto it = unit_index.find(cls);
    if (it == unit_index.end())
      input_error(source_, 0, "unknown resource class '" + cls + "' given a limit (no op uses it)");
    if (limit < kUnlimited)
      input_error(source_, 0,
                  "resource class '" + cls + "': limit " + std::to_string(limit) +
                      " (use -1 for unlimited)");
    limits[it->second] = limit;
  }
  for (std::size_t u = 0; u < unit_names.size(); ++u) {
    if (limits[u] < kUnlimited)
      input_error(source_, 0,
                  "resource class '" + unit_names[u] + "': negative limit " +
                      std::to_string(limits[u]));
    p.resources.push_back(Resource{unit_names[u], limits[u]});
  }

  // ---- per-op unit, latency, blocking ----
  p.op_resource.resize(n);
  p.latency.resize(n);
  p.blocking.resize(n);
  for (op_id i = 0; i < n; ++i) {
    const std::int32_t t = op_type_[i];
    std::int32_t u = unit_[i];
    if (u < 0) u = t >= 0 ? type_unit[t] : kNoResource;
    p.op_resource[i] = u;

    std::int32_t lat = latency_[i];
    auto lookup = [&](const std::string& key) {
      auto it = lib.latency.find(key);
      if (it != lib.latency.end()) lat = it->second;
      return it != lib.latency.end();
    };
    if (!(t >= 0 && lookup(type_names_[t])) && !(u >= 0 && lookup(unit_names[u]))) {
      if (lat == kUnset) lat = lib.default_latency.value_or(1);
    }
    if (lat < 0) throw InputError(op_where(i) + ": negative latency " + std::to_string(lat));
    p.latency[i] = lat;

    std::int32_t blk = blocking_[i];
    if (u < 0) {
      blk = 0;
    } else if (lib.pipelined.has_value()) {
      blk = *lib.pipelined ? 1 : lat;
    } else if (blk == kUnset) {
      blk = 1;
    }
    if (blk < 0) throw InputError(op_where(i) + ": negative blocking time " + std::to_string(blk));
    p.blocking[i] = blk;

    if (!std::isfinite(p.weight[i]) || p.weight[i] < 0)
      throw InputError(op_where(i) + ": weight must be a finite number >= 0");
    if (!std::isfinite(p.out_size[i]) || p.out_size[i] < 0)
      throw InputError(op_where(i) + ": output size must be a finite number >= 0");
  }

  // ---- chaining delays and the cycle time ----
  if (!in_delay_.empty()) {
    p.in_delay = in_delay_;
    p.out_delay = out_delay_;
    p.in_delay.resize(static_cast<std::size_t>(n), 0.0);
    p.out_delay.resize(static_cast<std::size_t>(n), 0.0);
    for (op_id i = 0; i < n; ++i)
      if (!std::isfinite(p.in_delay[i]) || p.in_delay[i] < 0 || !std::isfinite(p.out_delay[i]) ||
          p.out_delay[i] < 0)
        throw InputError(op_where(i) + ": delays must be finite numbers >= 0");
  }
  if (!std::isfinite(cycle_time_) || cycle_time_ < 0)
    input_error(source_, 0, "the cycle time must be a finite number >= 0");
  p.cycle_time = cycle_time_;

  // ---- edges: validate, resolve delays, lay out as CSR by source (stable) ----
  const auto m = static_cast<edge_id>(edges_.size());
  bool any_flag = false;
  for (const auto& e : edges_) any_flag |= e.auxiliary;
  if (any_flag) p.edge_flags.resize(static_cast<std::size_t>(m));
  p.succ_offsets.assign(static_cast<std::size_t>(n) + 1, 0);
  for (const auto& e : edges_) {
    if (e.src < 0 || e.src >= n || e.dst < 0 || e.dst >= n)
      input_error(source_, e.line, "edge refers to an op index out of range");
    ++p.succ_offsets[e.src + 1];
  }
  for (op_id i = 0; i < n; ++i) p.succ_offsets[i + 1] += p.succ_offsets[i];
  p.edge_src.resize(m);
  p.edge_dst.resize(m);
  p.edge_delay.resize(m);
  p.edge_distance.resize(m);
  p.edge_weight.resize(m);
  std::vector<edge_id> fill(p.succ_offsets.begin(), p.succ_offsets.end() - 1);
  for (const auto& e : edges_) {
    auto edge_msg = [&](const std::string& what) {
      input_error(source_, e.line,
                  "edge '" + std::string(names_[e.src]) + "' -> '" + std::string(names_[e.dst]) +
                      "': " + what);
    };
    const std::int64_t lambda =
        static_cast<std::int64_t>(e.adds_latency ? p.latency[e.src] : 0) + e.delay;
    if (lambda < 0) edge_msg("negative delay " + std::to_string(lambda));
    if (lambda > std::numeric_limits<std::int32_t>::max() / 2) edge_msg("delay too large");
    if (e.distance < 0) edge_msg("negative distance " + std::to_string(e.distance));
    if (!std::isfinite(e.weight) || e.weight < 0) edge_msg("weight must be a finite number >= 0");
    const edge_id k = fill[e.src]++;
    p.edge_src[k] = e.src;
    p.edge_dst[k] = e.dst;
    p.edge_delay[k] = static_cast<std::int32_t>(lambda);
    p.edge_distance[k] = e.distance;
    p.edge_weight[k] = e.weight;
    if (any_flag) p.edge_flags[k] = e.auxiliary ? kEdgeAuxiliary : 0;
  }


  index_predecessors(p);
  compute_topological_order(p);
  if (p.has_delays() && p.cycle_time > 0) add_chain_breaking_edges(p);
  return p;
}

}  // namespace gaus
