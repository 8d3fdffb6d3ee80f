#include "host/solver/ii_proof.hpp"

#include <algorithm>

#include "graphs/analysis.hpp"
#include "host/bounds/ii_bound.hpp"

namespace gaus {

std::int32_t ii_lower_bound(const Problem& p) {
  const std::int32_t mii = std::max({compute_res_mii(p), compute_rec_mii(p), 1});
  return p.num_loop_carried() > 0 ? ii_conflict_bound(p, mii) : mii;
}

IiProof ii_proof(const Problem& p, std::int32_t ii, bool legal, std::int32_t refuted_below) {
  IiProof r;
  r.lower_bound = std::max(ii_lower_bound(p), refuted_below);
  r.proven_minimal = legal && ii > 0 && ii <= r.lower_bound;
  return r;
}

}  // namespace gaus
