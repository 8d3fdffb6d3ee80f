// A schedule passed from Python: one start step per op in op order, as a C-contiguous int32
// NumPy array (gaus/__init__.py converts dicts, lists and Results to that).
#pragma once

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>

#include <cstdint>
#include <string>

#include "gaus/gaus.hpp"

namespace gaus::py {

using StartsArray = nanobind::ndarray<const std::int32_t, nanobind::ndim<1>, nanobind::c_contig,
                                      nanobind::device::cpu>;

/// The Schedule of `starts` at `horizon` and `ii` (0: none). Throws InputError when it does not
/// have one start per op of `p`, nanobind's cast error when it is not an int32 array.
inline Schedule schedule_arg(const Problem& p, nanobind::handle starts, std::int32_t horizon,
                             std::int32_t ii) {
  const auto a = nanobind::cast<StartsArray>(starts);
  if (a.shape(0) != static_cast<std::size_t>(p.num_ops()))
    throw InputError(p.source + ": " + std::to_string(a.shape(0)) + " starts for " +
                     std::to_string(p.num_ops()) + " ops");
  Schedule s;
  s.start.assign(a.data(), a.data() + a.shape(0));
  s.horizon = horizon;
  s.ii = ii;
  return s;
}

}  // namespace gaus::py
