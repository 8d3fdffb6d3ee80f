#include "graphs/library.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/problem.hpp"
#include "graphs/file_io.hpp"

namespace gaus {

namespace {

using nlohmann::json;

std::int32_t as_int(const json& v, const std::string& name, const std::string& what,
                    std::int32_t min_value) {
  if (!v.is_number_integer())
    input_error(name, 0, what + ": expected an integer, got " + std::string(v.type_name()));
  const auto x = v.get<std::int64_t>();
  if (x < min_value || x > 1'000'000'000)
    input_error(name, 0, what + ": " + std::to_string(x) + " is out of range");
  return static_cast<std::int32_t>(x);
}

const json& as_object(const json& v, const std::string& name, const std::string& what) {
  if (!v.is_object()) input_error(name, 0, what + ": expected an object");
  return v;
}

// Splits "KEY=VALUE"; throws naming the flag when malformed.
std::pair<std::string, std::string> split_flag(std::string_view flag, const char* option) {
  const auto eq = flag.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == flag.size())
    throw InputError(std::string(option) + " '" + std::string(flag) + "': expected NAME=VALUE");
  return {std::string(flag.substr(0, eq)), std::string(flag.substr(eq + 1))};
}

std::int32_t flag_int(const std::string& value, std::string_view flag, const char* option,
                      std::int32_t min_value) {
  std::int32_t x = 0;
  const auto* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, x);
  if (ec != std::errc() || ptr != end || x < min_value)
    throw InputError(std::string(option) + " '" + std::string(flag) + "': '" + value +
                     "' is not an integer >= " + std::to_string(min_value));
  return x;
}

}  // namespace

TypeLibrary parse_library(std::string_view json_text, const std::string& name,
                          const std::string& design) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::exception& e) {
    input_error(name, 0, std::string("malformed JSON: ") + e.what());
  }
  as_object(doc, name, "library");
  TypeLibrary lib;
  for (const auto& [key, value] : doc.items()) {
    if (key == "note" || key == "comment") continue;
    if (key == "unit_class") {
      for (const auto& [type, cls] : as_object(value, name, "unit_class").items()) {
        if (!cls.is_string()) input_error(name, 0, "unit_class." + type + ": expected a string");
        lib.unit_class[type] = cls.get<std::string>();
      }
    } else if (key == "latency") {
      for (const auto& [type, lat] : as_object(value, name, "latency").items()) {
        const std::int32_t l = as_int(lat, name, "latency." + type, 0);
        if (type == "default")
          lib.default_latency = l;
        else
          lib.latency[type] = l;
      }
    } else if (key == "pipelined") {
      if (!value.is_boolean()) input_error(name, 0, "pipelined: expected true or false");
      lib.pipelined = value.get<bool>();
    } else if (key == "limits") {
      as_object(value, name, "limits");
      const bool per_design = !value.empty() && value.begin()->is_object();
      const json* table = &value;
      if (per_design) {
        if (design.empty())
          input_error(name, 0, "limits are given per design: choose one with --design");
        auto it = value.find(design);
        if (it == value.end()) {
          std::string known;
          for (const auto& [d, v] : value.items()) known += (known.empty() ? "" : ", ") + d;
          input_error(name, 0, "no design '" + design + "' in limits (designs: " + known + ")");
        }
        table = &*it;
      }
      for (const auto& [cls, lim] : as_object(*table, name, "limits").items())
        lib.limits[cls] = as_int(lim, name, "limits." + cls, kUnlimited);
    } else {
      input_error(name, 0,
                  "unknown key '" + key +
                      "' (expected unit_class, latency, pipelined, limits, note)");
    }
  }
  return lib;
}

TypeLibrary load_library(const std::string& path, const std::string& design) {
  return parse_library(read_file(path), path, design);
}

void apply_latency_flag(TypeLibrary& lib, std::string_view flag) {
  auto [type, value] = split_flag(flag, "--latency");
  lib.latency[type] = flag_int(value, flag, "--latency", 0);
}

void apply_limit_flag(TypeLibrary& lib, std::string_view flag) {
  auto [cls, value] = split_flag(flag, "--limit");
  lib.limits[cls] = flag_int(value, flag, "--limit", kUnlimited);
}

void apply_unit_class_flag(TypeLibrary& lib, std::string_view flag) {
  auto [type, cls] = split_flag(flag, "--unit-class");
  lib.unit_class[type] = cls;
}

}  // namespace gaus
