// The native JSON format (docs/native-json.md), read with nlohmann::json's SAX interface: ops and
// edges go straight into the ProblemBuilder as they stream by, so a 10^7-op file never becomes a
// JSON DOM. Every op and edge keeps the line of its opening '{' for messages. This file follows
// the document's events and checks each value where it arrives; a finished op or edge record
// goes to the RecordBuilder (read_json_records.cpp). The handler stays in an anonymous namespace:
// internal linkage lets the compiler inline its once-called event functions (~4% of reading a
// 10^6-op file).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "graphs/formats.hpp"
#include "graphs/json_fast_sax.hpp"
#include "graphs/json_util.hpp"
#include "graphs/read_json_records.hpp"

namespace gaus {

namespace {

using json = nlohmann::json;

using native_json::Field;
using native_json::Pending;
using native_json::RecordBuilder;

class NativeJsonSax {
 public:
  NativeJsonSax(std::string_view text, const std::string& name, const char* const* reached)
      : text_(text), name_(name), reached_(reached), scanned_(text.data()),
        records_(name, text.size()) {}

  // ---- the nlohmann SAX interface ----
  bool null() { return scalar(JsonValue{JsonKind::Null}); }
  bool boolean(bool v) { return scalar(JsonValue{JsonKind::Bool, v ? 1 : 0}); }
  bool number_integer(json::number_integer_t v) { return scalar(JsonValue{JsonKind::Int, v}); }
  bool number_unsigned(json::number_unsigned_t v) {
    if (v <= static_cast<json::number_unsigned_t>(std::numeric_limits<std::int64_t>::max()))
      return scalar(JsonValue{JsonKind::Int, static_cast<std::int64_t>(v)});
    return scalar(JsonValue{JsonKind::Float, 0, static_cast<double>(v)});
  }
  bool number_float(json::number_float_t v, const json::string_t&) {
    return scalar(JsonValue{JsonKind::Float, 0, v});
  }
  bool string(json::string_t& v) { return scalar(JsonValue{JsonKind::String, 0, 0.0, &v}); }
  bool binary(json::binary_t&) { return scalar(JsonValue{JsonKind::Null}); }
  bool start_object(std::size_t) { return open(JsonKind::Object); }
  bool start_array(std::size_t) { return open(JsonKind::Array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(json::string_t& k);
  bool parse_error(std::size_t position, const std::string&, const json::exception& ex) {
    json_syntax_error(name_, text_, position, ex.what());
  }

  /// After the parse: resolves edges that came before "ops", checks units, returns the builder.
  ProblemBuilder finish();

 private:
  enum class Ctx { Before, Top, Resources, Ops, Op, Edges, Edge, Skip, After };
  enum Top : std::uint32_t { kFormat, kVersion, kHorizon, kIi, kCycleTime, kResources, kOps,
                             kEdges, kComment, kNote, kNone };

  std::int64_t line_now() {
    // The lexer may have read one character past a number: count up to the last one consumed.
    const char* pos = std::max(scanned_, *reached_ - 1);
    line_ += std::count(scanned_, pos, '\n');
    scanned_ = pos;
    return line_;
  }
  [[noreturn]] void fail(const std::string& msg) { input_error(name_, line_now(), msg); }
  void skip_value(Ctx back) {
    skip_back_ = back;
    skip_depth_ = 1;
    ctx_ = Ctx::Skip;
  }

  bool scalar(const JsonValue& v);
  bool open(JsonKind k);
  bool close();
  void top_value(const JsonValue& v);
  void item_value(const JsonValue& v);

  std::string_view text_;
  const std::string& name_;
  const char* const* reached_;
  const char* scanned_;
  std::int64_t line_ = 1;
  RecordBuilder records_;

  Ctx ctx_ = Ctx::Before, skip_back_ = Ctx::Top;
  std::int64_t skip_depth_ = 0;
  Top top_key_ = kNone;
  std::uint32_t top_seen_ = 0;
  std::string resource_key_;
  std::unordered_set<std::string> resource_names_;
  bool resources_given_ = false;
  Pending item_;
  std::int64_t op_count_ = 0, edge_count_ = 0;
};

bool NativeJsonSax::key(json::string_t& k) {
  switch (ctx_) {
    case Ctx::Top: {
      static constexpr std::string_view kKeys[] = {"format",    "version", "horizon",
                                                   "ii",        "cycle_time", "resources",
                                                   "ops",       "edges",   "comment",
                                                   "note"};
      top_key_ = kNone;
      for (std::uint32_t t = 0; t < kNone; ++t)
        if (k == kKeys[t]) top_key_ = static_cast<Top>(t);
      if (top_key_ == kNone)
        fail("unknown top-level key '" + printable(k) +
             "' (expected format, version, horizon, ii, cycle_time, resources, ops, edges, "
             "comment, note)");
      if (top_seen_ & (1u << top_key_)) fail("top-level key '" + k + "' given twice");
      top_seen_ |= 1u << top_key_;
      break;
    }
    case Ctx::Resources:
      if (k.empty()) fail("\"resources\": empty class name");
      if (!resource_names_.insert(k).second)
        fail("\"resources\": class '" + printable(k) + "' given twice");
      resource_key_ = k;
      break;
    case Ctx::Op:
    case Ctx::Edge: {
      const bool edge = ctx_ == Ctx::Edge;
      static constexpr std::pair<std::string_view, Field> kOp[] = {
          {"name", Field::Name},         {"type", Field::Type},     {"unit", Field::Unit},
          {"latency", Field::Latency},   {"blocking", Field::Blocking},
          {"weight", Field::Weight},     {"output_size", Field::OutSize},
          {"in_delay", Field::InDelay},  {"out_delay", Field::OutDelay}};
      static constexpr std::pair<std::string_view, Field> kEdge[] = {
          {"from", Field::From},         {"to", Field::To},         {"delay", Field::Delay},
          {"distance", Field::Distance}, {"weight", Field::Weight},
          {"auxiliary", Field::Auxiliary}};
      item_.field = Field::Unknown;
      std::uint32_t bit = 0;
      for (const auto& [key_name, field] : edge ? std::span<const std::pair<std::string_view, Field>>(kEdge)
                                                   : std::span<const std::pair<std::string_view, Field>>(kOp)) {
        if (k == key_name) item_.field = field;
        if (item_.field == Field::Unknown) ++bit;
      }
      if (item_.field == Field::Unknown)
        item_.problem("unknown key '" + printable(k) + "' (expected " +
                      (edge ? "from, to, delay, distance, weight, auxiliary"
                            : "name, type, unit, latency, blocking, weight, output_size, "
                              "in_delay, out_delay") +
                      ")");
      else if (item_.seen & (1u << bit))
        item_.problem("key '" + k + "' given twice");
      item_.seen |= 1u << bit;
      break;
    }
    default:
      break;  // Skip
  }
  return true;
}

bool NativeJsonSax::scalar(const JsonValue& v) {
  switch (ctx_) {
    case Ctx::Before: fail("the top level must be an object, not " + std::string(kind_name(v.kind)));
    case Ctx::Top: top_value(v); break;
    case Ctx::Resources: {
      const auto limit = as_integer(v);
      if (!limit || *limit < kUnlimited || *limit > std::numeric_limits<std::int32_t>::max())
        fail("\"resources\": class '" + printable(resource_key_) +
             "': limit must be an integer >= -1 (-1 = unlimited)");
      records_.builder().add_resource(resource_key_, static_cast<std::int32_t>(*limit));
      break;
    }
    case Ctx::Ops: fail("ops[" + std::to_string(op_count_) + "] must be an object, not " +
                        kind_name(v.kind));
    case Ctx::Edges: fail("edges[" + std::to_string(edge_count_) + "] must be an object, not " +
                          kind_name(v.kind));
    case Ctx::Op:
    case Ctx::Edge: item_value(v); break;
    default: break;  // Skip, After
  }
  return true;
}

void NativeJsonSax::top_value(const JsonValue& v) {
  const auto n = as_integer(v);
  switch (top_key_) {
    case kFormat:
      if (v.kind != JsonKind::String || *v.s != "gaus")
        fail("\"format\" must be \"gaus\" (this is not a gaus native JSON file)");
      break;
    case kVersion:
      if (!n || *n != 1) fail("\"version\": only version 1 is supported");
      break;
    case kHorizon:
    case kIi:
      if (!n || *n < 0 || *n > std::numeric_limits<std::int32_t>::max())
        fail(std::string(top_key_ == kHorizon ? "\"horizon\"" : "\"ii\"") +
             " must be an integer >= 0");
      if (top_key_ == kHorizon) records_.builder().set_horizon(static_cast<std::int32_t>(*n));
      else records_.builder().set_ii(static_cast<std::int32_t>(*n));
      break;
    case kCycleTime: {
      const double t = v.kind == JsonKind::Int     ? static_cast<double>(v.i)
                       : v.kind == JsonKind::Float ? v.f
                                                   : -1.0;
      if (!(t >= 0) || !std::isfinite(t)) fail("\"cycle_time\" must be a finite number >= 0");
      records_.builder().set_cycle_time(t);
      break;
    }
    case kResources: fail("\"resources\" must be an object, not " + std::string(kind_name(v.kind)));
    case kOps: fail("\"ops\" must be an array, not " + std::string(kind_name(v.kind)));
    case kEdges: fail("\"edges\" must be an array, not " + std::string(kind_name(v.kind)));
    default: break;  // comment, note
  }
}

void NativeJsonSax::item_value(const JsonValue& v) {
  Pending& p = item_;
  const auto n = as_integer(v);
  auto int_field = [&](const char* key, std::int64_t min) -> std::optional<std::int32_t> {
    if (!n || *n < min || *n > std::numeric_limits<std::int32_t>::max()) {
      p.problem(std::string("\"") + key + "\" must be an integer" +
                (min == 0 ? " >= 0" : "") + ", not " +
                (n ? std::to_string(*n) : std::string(kind_name(v.kind))));
      return std::nullopt;
    }
    return static_cast<std::int32_t>(*n);
  };
  auto num_field = [&](const char* key) -> std::optional<double> {
    if (v.kind == JsonKind::Int) return static_cast<double>(v.i);
    if (v.kind == JsonKind::Float) return v.f;
    p.problem(std::string("\"") + key + "\" must be a number, not " + kind_name(v.kind));
    return std::nullopt;
  };
  auto str_field = [&](const char* key, std::string& out, bool& has, bool nullable) {
    if (v.kind == JsonKind::Null && nullable) return;
    if (v.kind != JsonKind::String)
      return p.problem(std::string("\"") + key + "\" must be a string, not " + kind_name(v.kind));
    out = *v.s;
    has = true;
  };
  constexpr std::int64_t kMin32 = std::numeric_limits<std::int32_t>::min();
  switch (p.field) {
    case Field::Name:
      str_field("name", p.name, p.has_name, false);
      records_.prefetch_name(p.name);  // added at the op's '}', some bytes of parsing later
      break;
    case Field::Type: str_field("type", p.type, p.has_type, true); break;
    case Field::Unit: str_field("unit", p.unit, p.has_unit, true); break;
    case Field::From:
      str_field("from", p.from, p.has_from, false);
      records_.prefetch_from(p.from);
      break;
    case Field::To:
      str_field("to", p.to, p.has_to, false);
      records_.prefetch_to(p.to);  // looked up at the edge's '}'
      break;
    case Field::Latency: p.latency = int_field("latency", 0); break;
    case Field::Blocking: p.blocking = int_field("blocking", 0); break;
    case Field::Delay: p.delay = int_field("delay", kMin32); break;
    case Field::Distance: p.distance = int_field("distance", 0).value_or(0); break;
    case Field::Weight: p.weight = num_field("weight"); break;
    case Field::OutSize: p.out_size = num_field("output_size"); break;
    case Field::InDelay: p.in_delay = num_field("in_delay"); break;
    case Field::OutDelay: p.out_delay = num_field("out_delay"); break;
    case Field::Auxiliary:
      if (v.kind != JsonKind::Bool)
        p.problem(std::string("\"auxiliary\" must be true or false, not ") + kind_name(v.kind));
      else
        p.auxiliary = v.i != 0;
      break;
    case Field::Unknown: break;
  }
}

bool NativeJsonSax::open(JsonKind k) {
  const bool obj = k == JsonKind::Object;
  switch (ctx_) {
    case Ctx::Before:
      if (!obj) fail("the top level must be an object, not an array");
      ctx_ = Ctx::Top;
      break;
    case Ctx::Top:
      if (top_key_ == kComment || top_key_ == kNote) skip_value(Ctx::Top);
      else if (top_key_ == kResources && obj) ctx_ = Ctx::Resources, resources_given_ = true;
      else if (top_key_ == kOps && !obj) ctx_ = Ctx::Ops;
      else if (top_key_ == kEdges && !obj) ctx_ = Ctx::Edges;
      else top_value(JsonValue{k});
      break;
    case Ctx::Resources:
      fail("\"resources\": class '" + printable(resource_key_) +
           "': limit must be an integer, not " + kind_name(k));
    case Ctx::Ops:
    case Ctx::Edges: {
      const bool edges = ctx_ == Ctx::Edges;
      if (!obj)
        fail((edges ? "edges[" : "ops[") + std::to_string(edges ? edge_count_ : op_count_) +
             "] must be an object, not an array");
      item_.reset(edges ? edge_count_ : op_count_, line_now());
      ctx_ = edges ? Ctx::Edge : Ctx::Op;
      break;
    }
    case Ctx::Op:
    case Ctx::Edge:
      item_value(JsonValue{k});
      skip_value(ctx_);
      break;
    case Ctx::Skip: ++skip_depth_; break;
    case Ctx::After: break;
  }
  return true;
}

bool NativeJsonSax::close() {
  switch (ctx_) {
    case Ctx::Top: ctx_ = Ctx::After; break;
    case Ctx::Resources: ctx_ = Ctx::Top; break;
    case Ctx::Ops: records_.ops_done(), ctx_ = Ctx::Top; break;
    case Ctx::Edges: ctx_ = Ctx::Top; break;
    case Ctx::Op: records_.add_op(item_), ++op_count_, ctx_ = Ctx::Ops; break;
    case Ctx::Edge: records_.add_edge(item_), ++edge_count_, ctx_ = Ctx::Edges; break;
    case Ctx::Skip:
      if (--skip_depth_ == 0) ctx_ = skip_back_;
      break;
    default: break;
  }
  return true;
}

ProblemBuilder NativeJsonSax::finish() {
  if (!(top_seen_ & (1u << kOps))) input_error(name_, 0, "no \"ops\" array");
  return records_.finish(resources_given_ ? &resource_names_ : nullptr);
}

}  // namespace

ProblemBuilder read_native_json(std::string_view text, const std::string& name) {
  const char* reached = text.data();
  {
    // Plain files (all the writer and the generator make) take the fast driver; anything it
    // declines, and every input with an error, is parsed again by nlohmann, whose events and
    // lines are the reference for every message.
    NativeJsonSax fast(text, name, &reached);
    try {
      if (fast_sax_parse(text, fast, &reached)) return fast.finish();
    } catch (const InputError&) {
    }
  }
  reached = text.data();
  NativeJsonSax sax(text, name, &reached);
  JsonTrackingIter first{text.data(), &reached};
  JsonTrackingIter last{text.data() + text.size(), &reached};
  json::sax_parse(first, last, &sax);
  return sax.finish();
}

}  // namespace gaus
