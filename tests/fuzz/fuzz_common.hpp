// Shared driver for the libFuzzer targets: run a reader on the fuzzer's bytes, accept InputError
// and InfeasibleError as the reader's verdict on bad input, and check that whatever it accepts
// builds into a Problem that passes gaus::validate. Anything else (another exception type, a
// failed validation, a sanitizer report, a hang) is a bug and aborts so libFuzzer records it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "core/problem.hpp"
#include "graphs/builder.hpp"

namespace gaus::fuzz {

/// Inputs above this size are skipped: readers are linear, so bigger inputs only slow the search
/// (tools/harden.sh also passes -max_len).
inline constexpr std::size_t kMaxInput = 64 * 1024;

/// The byte that splits a two-file input (GraphML + resource model, HeuriGym JSON + DOT).
inline constexpr char kSeparator = '\0';

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Splits at the first kSeparator: {before, after}; `after` is empty when there is none.
inline std::pair<std::string_view, std::string_view> split_two(std::string_view in) {
  const std::size_t at = in.find(kSeparator);
  if (at == std::string_view::npos) return {in, {}};
  return {in.substr(0, at), in.substr(at + 1)};
}

[[noreturn]] inline void bug(const char* what, const char* detail) {
  std::fprintf(stderr, "fuzz bug: %s: %s\n", what, detail);
  std::abort();
}

/// Runs `f`; returns false when it threw InputError or InfeasibleError (bad input, handled).
/// Any other exception is a bug.
template <class F>
bool accepted(F&& f) {
  try {
    std::forward<F>(f)();
    return true;
  } catch (const InputError&) {
    return false;
  } catch (const InfeasibleError&) {
    return false;
  } catch (const std::exception& e) {
    bug("unexpected exception type from reader", e.what());
  } catch (...) {
    bug("unexpected exception", "not derived from std::exception");
  }
}

/// A Problem that a reader and build() accepted must satisfy every model invariant.
inline void must_validate(const Problem& p) {
  try {
    validate(p);
  } catch (const std::exception& e) {
    bug("validate() rejected a Problem the reader and build() accepted", e.what());
  }
}

/// The usual target body: `read()` returns a ProblemBuilder; build it and validate the result.
template <class Read>
int check_reader(Read&& read) {
  std::optional<Problem> p;
  if (!accepted([&] { p.emplace(read().build()); })) return 0;
  must_validate(*p);
  return 0;
}

}  // namespace gaus::fuzz
