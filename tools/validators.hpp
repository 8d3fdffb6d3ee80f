// Option checks whose messages a user can read. CLI11's NonNegativeNumber and PositiveNumber
// print the upper end of their range, DBL_MAX, in full ("not in range 0.000000 to 17976931...")
// and take "1.5" for a whole-number option to a message about argument counts.
#pragma once

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

namespace gaus::cli {

/// A whole number in decimal from lo to hi (the option's type: int32 unless said):
/// "--restarts: must be a whole number from 1 to 2147483647, got '0'".
inline CLI::Validator whole_in(long long lo, long long hi = 2147483647LL) {
  const std::string want =
      "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
  return CLI::Validator(
      [want, lo, hi](std::string& s) -> std::string {
        char* end = nullptr;
        errno = 0;
        const long long v = std::strtoll(s.c_str(), &end, 10);
        if (s.empty() || *end != '\0' || errno == ERANGE || v < lo || v > hi)
          return want + ", got '" + s + "'";
        return {};
      },
      "INT in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
}

/// A number > lo (`strict`) or >= lo, optionally "inf"; NaN is refused.
inline CLI::Validator number_above(double lo, bool strict, bool allow_inf = false) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", lo);
  const std::string want = std::string("must be a number ") + (strict ? "> " : ">= ") + buf +
                           (allow_inf ? " (or inf)" : "");
  return CLI::Validator(
      [=](std::string& s) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        const bool ok = !s.empty() && *end == '\0' && !std::isnan(v) &&
                        (allow_inf || std::isfinite(v)) && (strict ? v > lo : v >= lo);
        return ok ? std::string() : want + ", got '" + s + "'";
      },
      std::string(strict ? "NUM>" : "NUM>=") + buf);
}

/// A number in (lo, hi].
inline CLI::Validator number_in(double lo, double hi) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "(%g, %g]", lo, hi);
  const std::string range = buf;
  return CLI::Validator(
      [=](std::string& s) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        const bool ok = !s.empty() && *end == '\0' && v > lo && v <= hi;
        return ok ? std::string() : "must be a number in " + range + ", got '" + s + "'";
      },
      "NUM in " + range);
}

}  // namespace gaus::cli
