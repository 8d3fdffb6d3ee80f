// Small inputs shared by several test files.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "graphs/formats.hpp"
#include "graphs/generate.hpp"

namespace gaus::test {

/// A 40-op layered DAG with two limited classes (the generator's defaults otherwise).
inline Problem small_graph(std::uint64_t seed, bool zero_delay = false,
                           double loop_carried = 0.0) {
  GenerateOptions g;
  g.ops = 40;
  g.layers = 6;
  g.seed = seed;
  g.zero_delay = zero_delay;
  g.loop_carried = loop_carried;
  return generate_layered(g);
}

/// The InputError message of reading `text` as DOT, or "<no error>".
inline std::string dot_error(const std::string& text) {
  try {
    (void)read_dot(text, "t.dot").build();
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no error>";
}

}  // namespace gaus::test
