// Error types thrown at the host boundary. Every message says what is wrong and where.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace gaus {

/// Base of all gaus errors.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Malformed or inconsistent input (a file, a flag, a model). The tool maps it to exit code 2.
class InputError : public Error {
 public:
  using Error::Error;
};

/// A well-formed problem that has no legal schedule under the given horizon or II
/// (horizon below the critical path, II below the recurrence bound). Exit code 1.
class InfeasibleError : public Error {
 public:
  using Error::Error;
};

/// Builds "FILE:LINE: message" (LINE omitted when 0).
inline std::string where(const std::string& file, std::int64_t line) {
  if (file.empty()) return line > 0 ? "line " + std::to_string(line) : std::string("<input>");
  return line > 0 ? file + ":" + std::to_string(line) : file;
}

/// Throws InputError("FILE:LINE: message").
[[noreturn]] inline void input_error(const std::string& file, std::int64_t line,
                                     const std::string& message) {
  throw InputError(where(file, line) + ": " + message);
}

}  // namespace gaus
