// The native JSON reader's finished op and edge records into the ProblemBuilder (see
// read_json_records.hpp); the events that fill them are read_json.cpp's.
#include "graphs/read_json_records.hpp"

#include <cmath>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "graphs/text_scan.hpp"

namespace gaus::native_json {

RecordBuilder::RecordBuilder(const std::string& name, std::size_t text_size)
    : name_(name), b_(name) {
  // Written files take ~130 bytes per op and ~70 per edge, about 1.5 edges per op: reserving
  // for a guess spares the big arrays most of their regrowth (and its copies and peak memory).
  b_.reserve(text_size / 256, text_size / 160);
}

void RecordBuilder::fail_item(const Pending& p, bool edge, const std::string& msg) const {
  std::string who = (edge ? "edges[" : "ops[") + std::to_string(p.index) + "]";
  if (!edge && p.has_name) who += " '" + printable(p.name) + "'";
  if (edge && (p.has_from || p.has_to))
    who += " '" + printable(p.from) + "' -> '" + printable(p.to) + "'";
  input_error(name_, p.line, who + ": " + msg);
}

void RecordBuilder::add_op(const Pending& p) {
  if (!p.error.empty()) fail_item(p, false, p.error);
  if (!p.has_name) fail_item(p, false, "missing \"name\"");
  if (p.name.empty()) fail_item(p, false, "empty \"name\"");
  if (p.has_unit && p.unit.empty()) fail_item(p, false, "empty \"unit\" (omit it for none)");
  const op_id op = b_.add_op(p.name, p.has_type ? std::string_view(p.type) : "", p.line);
  if (p.latency) b_.set_latency(op, *p.latency);
  if (p.blocking) b_.set_blocking(op, *p.blocking);
  if (p.weight) b_.set_weight(op, *p.weight);
  if (p.out_size) b_.set_out_size(op, *p.out_size);
  if (p.in_delay || p.out_delay) {
    const double in = p.in_delay.value_or(0.0), out = p.out_delay.value_or(0.0);
    if (!(in >= 0) || !(out >= 0) || !std::isfinite(in) || !std::isfinite(out))
      fail_item(p, false, "\"in_delay\" and \"out_delay\" must be finite numbers >= 0");
    b_.set_delays(op, in, out);
  }
  if (p.has_unit) {
    b_.set_unit(op, p.unit);
    unit_first_op_.try_emplace(p.unit, op);
  }
}

void RecordBuilder::add_edge(const Pending& e, op_id src, op_id dst) {
  if (src < 0) fail_item(e, true, "unknown op '" + printable(e.from) + "'");
  if (dst < 0) fail_item(e, true, "unknown op '" + printable(e.to) + "'");
  EdgeSpec s{.src = src, .dst = dst, .delay = e.delay.value_or(0),
             .adds_latency = !e.delay.has_value(), .distance = e.distance,
             .weight = e.weight.value_or(0.0), .auxiliary = e.auxiliary, .line = e.line};
  b_.add_edge(s);
}

void RecordBuilder::add_edge(const Pending& e) {
  if (!e.error.empty()) fail_item(e, true, e.error);
  if (!e.has_from) fail_item(e, true, "missing \"from\"");
  if (!e.has_to) fail_item(e, true, "missing \"to\"");
  if (ops_done_) {
    // Edges usually come grouped by source (the writer's CSR order): look each source up once.
    if (last_from_id_ < 0 || e.from != last_from_) {
      last_from_ = e.from;
      last_from_id_ = b_.find_op(e.from);
    }
    return add_edge(e, last_from_id_, b_.find_op(e.to));
  }
  early_edges_.push_back(e);  // "edges" before "ops": resolved once every op is known
}

ProblemBuilder RecordBuilder::finish(const std::unordered_set<std::string>* declared) {
  for (const Pending& e : early_edges_) add_edge(e, b_.find_op(e.from), b_.find_op(e.to));
  if (declared) {
    op_id bad = -1;  // the first op (in file order) whose unit is not declared
    const std::string* bad_unit = nullptr;
    for (const auto& [unit, op] : unit_first_op_)
      if (!declared->count(unit) && (bad < 0 || op < bad)) bad = op, bad_unit = &unit;
    if (bad >= 0)
      input_error(name_, b_.op_line(bad),
                  "ops[" + std::to_string(bad) + "] '" + printable(b_.op_name(bad)) + "': unit '" +
                      printable(*bad_unit) + "' is not declared in \"resources\"");
  }
  return std::move(b_);
}

}  // namespace gaus::native_json
