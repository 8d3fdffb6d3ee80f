#include "graphs/schedule_json.hpp"

#include <cmath>
#include <limits>
#include <unordered_map>

#include "core/error.hpp"

namespace gaus {

namespace {

using nlohmann::json;

std::int32_t non_negative_int(const json& v, const std::string& name, const std::string& what) {
  if (!v.is_number_integer())
    input_error(name, 0, what + ": expected an integer, got " + std::string(v.type_name()));
  const auto x = v.get<std::int64_t>();
  if (x < 0 || x > std::numeric_limits<std::int32_t>::max())
    input_error(name, 0, what + ": " + std::to_string(x) + " is out of range");
  return static_cast<std::int32_t>(x);
}

}  // namespace

Schedule parse_schedule_json(std::string_view text, const std::string& name, const Problem& p) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    input_error(name, 0, std::string("malformed JSON: ") + e.what());
  }
  if (!doc.is_object()) input_error(name, 0, "expected a JSON object with \"starts\"");
  auto it = doc.find("starts");
  if (it == doc.end() || !it->is_object())
    input_error(name, 0, "missing \"starts\" object {\"<op name>\": step, ...}");

  std::unordered_map<std::string_view, op_id> index;
  index.reserve(static_cast<std::size_t>(p.num_ops()));
  for (op_id i = 0; i < p.num_ops(); ++i) index.emplace(p.name(i), i);

  Schedule s;
  constexpr std::int32_t kMissing = std::numeric_limits<std::int32_t>::min();
  s.start.assign(static_cast<std::size_t>(p.num_ops()), kMissing);
  for (const auto& [op, value] : it->items()) {
    auto found = index.find(op);
    if (found == index.end())
      input_error(name, 0, "starts: op '" + op + "' is not in " + (p.source.empty() ? "the problem" : p.source));
    if (!value.is_number_integer())
      input_error(name, 0, "starts: op '" + op + "': expected an integer step, got " +
                               std::string(value.type_name()));
    const auto x = value.get<std::int64_t>();
    if (x < std::numeric_limits<std::int32_t>::min() + 1 || x > std::numeric_limits<std::int32_t>::max())
      input_error(name, 0, "starts: op '" + op + "': step " + std::to_string(x) + " is out of range");
    s.start[found->second] = static_cast<std::int32_t>(x);
  }
  for (op_id i = 0; i < p.num_ops(); ++i)
    if (s.start[i] == kMissing)
      input_error(name, 0, "starts: op '" + std::string(p.name(i)) + "' has no start step");
  if (auto h = doc.find("horizon"); h != doc.end() && !h->is_null())
    s.horizon = non_negative_int(*h, name, "horizon");
  if (auto ii = doc.find("ii"); ii != doc.end() && !ii->is_null())
    s.ii = non_negative_int(*ii, name, "ii");
  if (auto z = doc.find("z"); z != doc.end() && !z->is_null()) {
    if (!z->is_object()) input_error(name, 0, "\"z\" must be an object {\"<op name>\": time, ...}");
    s.z.assign(static_cast<std::size_t>(p.num_ops()), -1.0);
    for (const auto& [op, value] : z->items()) {
      auto found = index.find(op);
      if (found == index.end())
        input_error(name, 0, "z: op '" + op + "' is not in " +
                                 (p.source.empty() ? "the problem" : p.source));
      if (!value.is_number() || !(value.get<double>() >= 0) || !std::isfinite(value.get<double>()))
        input_error(name, 0, "z: op '" + op + "': expected a finite number >= 0");
      s.z[found->second] = value.get<double>();
    }
    for (op_id i = 0; i < p.num_ops(); ++i)
      if (s.z[i] < 0)
        input_error(name, 0, "z: op '" + std::string(p.name(i)) + "' has no start time in cycle");
  }
  return s;
}

nlohmann::ordered_json start_times_in_cycle_json(const Problem& p, const Schedule& s) {
  nlohmann::ordered_json z = nlohmann::ordered_json::object();
  auto& entries = z.get_ref<nlohmann::ordered_json::object_t&>();
  for (op_id i = 0; i < p.num_ops() && static_cast<std::size_t>(i) < s.z.size(); ++i)
    entries.emplace_back(std::string(p.name(i)), s.z[i]);
  return z;
}

nlohmann::ordered_json starts_to_json(const Problem& p, const Schedule& s) {
  // ordered_json's operator[] searches linearly; op names are unique, so append directly.
  nlohmann::ordered_json starts = nlohmann::ordered_json::object();
  auto& entries = starts.get_ref<nlohmann::ordered_json::object_t&>();
  entries.reserve(static_cast<std::size_t>(p.num_ops()));
  for (op_id i = 0; i < p.num_ops(); ++i) entries.emplace_back(std::string(p.name(i)), s.start[i]);
  return starts;
}

}  // namespace gaus
