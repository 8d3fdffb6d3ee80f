// Unit conflicts of a modulo schedule: which residues an op holds, and when two ops on one unit
// can share it at a given initiation interval (the pairwise test of the II conflict bound,
// host/bounds/ii_bound.hpp). The modulo list scheduler, the modulo repair and the bound count
// units through for_busy_residues.
#pragma once

#include <algorithm>
#include <cstdint>

namespace gaus {

/// The residues modulo ii (> 0) an op busy b cycles from step t holds, with the units it needs
/// at each: f(r, units) for r = (t + u) mod ii, u < min(b, ii), b / ii units plus one for
/// u < b mod ii (an op busy longer than ii wraps onto its own residues).
template <typename F>
inline void for_busy_residues(std::int64_t t, std::int32_t b, std::int32_t ii, F&& f) {
  const std::int32_t span = std::min(b, ii);
  auto r = static_cast<std::int32_t>(((t % ii) + ii) % ii);
  for (std::int32_t u = 0; u < span; ++u, r = r + 1 == ii ? 0 : r + 1)
    f(r, b / ii + (u < b % ii ? 1 : 0));
}

/// Whether two ops on a single unit, busy bu >= 1 and bv >= 1 cycles from their starts, can
/// start at an offset x = s_v - s_u somewhere in [lo, hi] without sharing a cycle modulo ii.
/// Op v's busy residues are x .. x + bv - 1 (mod ii), u's 0 .. bu - 1, so they are disjoint iff
/// bu + bv <= ii and x mod ii lies in [bu, ii - bv].
inline bool unit_pair_fits(std::int64_t lo, std::int64_t hi, std::int64_t bu, std::int64_t bv,
                           std::int64_t ii) {
  if (lo > hi || bu + bv > ii) return false;
  if (hi - lo + 1 >= ii) return true;  // x mod ii takes every value
  const std::int64_t r0 = ((lo % ii) + ii) % ii;
  const std::int64_t r1 = r0 + (hi - lo);  // x mod ii runs r0 .. r1, wrapping past ii - 1
  const std::int64_t a = bu, b = ii - bv;
  return (r0 <= b && a <= r1) || (r0 <= b + ii && a + ii <= r1);
}

/// Whether three ops, u at offset 0 and v, w at offsets xv, xw, busy bu, bv, bw cycles (each
/// in [1, ii]), all hold a unit at some common residue modulo ii: three ops of a class with two
/// units cannot.
inline bool busy_triple_overlaps(std::int64_t bu, std::int64_t xv, std::int64_t bv,
                                 std::int64_t xw, std::int64_t bw, std::int64_t ii) {
  const auto in = [ii](std::int64_t r, std::int64_t x, std::int64_t b) {
    return (((r - x) % ii) + ii) % ii < b;
  };
  for (std::int64_t r = 0; r < bu; ++r)
    if (in(r, xv, bv) && in(r, xw, bw)) return true;
  return false;
}

}  // namespace gaus
