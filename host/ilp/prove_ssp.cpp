// CBC on the limited CIRCT classes (host/ilp/prove_ssp.hpp).
#include "host/ilp/prove_ssp.hpp"

#include <algorithm>
#include <cmath>

#include "graphs/analysis.hpp"
#include "host/ilp/budget.hpp"
#include "host/ilp/modulo_model.hpp"
#include "host/ilp/modulo_prove.hpp"

namespace gaus::ssp {

namespace {

using ilp::Clock;
using ilp::seconds_since;

std::string prove_shared(const Problem& p, SolveSspResult& r, const ProveOptions& o) {
  const std::vector<char> keep = predecessors_of(p, r.last);
  const Problem part = subproblem(p, keep);
  Schedule start;
  op_id last_in_part = 0;
  for (op_id i = 0; i < p.num_ops(); ++i) {
    if (!keep[i]) continue;
    if (i == r.last) last_in_part = static_cast<op_id>(start.start.size());
    start.start.push_back(r.schedule.start[i]);
  }
  const ProveResult pr = prove(part, Formulation::Rcs, start, o);
  if (pr.improved) r.schedule = complete_schedule(p, keep, pr.schedule);
  if (pr.lower_bound == pr.lower_bound)
    r.last_start_lower_bound =
        std::max<std::int32_t>(r.last_start_lower_bound,
                               static_cast<std::int32_t>(std::ceil(pr.lower_bound - 1e-6)) -
                                   std::max(part.latency[last_in_part], 1));
  r.method += "; CBC on the predecessors: " + pr.status;
  return pr.status;
}

// The last op's least start at `ii` over the modulo model; replaces r.schedule when better.
std::string min_last_start(const Problem& p, SolveSspResult& r, std::int32_t ii, double seconds,
                           const ProveOptions& o) {
  const auto t0 = Clock::now();
  ilp::Model m;
  try {
    m = ilp::build_modulo_model(p, ii, o.max_nonzeros, ilp::deadline_after(t0, seconds));
  } catch (const std::exception& e) {
    return std::string("last op's start left open (") + e.what() + ")";
  }
  const op_id last = r.last;
  const std::int32_t lo = m.lo[last], hi = m.hi[last];
  for (std::int32_t d = lo; d < hi; ++d) m.obj[static_cast<std::size_t>(m.z_base[last] + d - lo)] = -1;
  m.obj_offset = hi;
  m.integral = true;
  const double left = seconds - seconds_since(t0);
  if (left <= 0.05) return "last op's start left open (no time left)";
  const ilp::CbcResult c = ilp::solve_cbc(m, {}, ilp::cbc_options(o, left));
  if (c.have) {
    Schedule s = ilp::decode_modulo(p, m, ii, c.x.data());
    s.horizon = 0;
    if (verify(p, s, 1).legal && s.start[last] < r.schedule.start[last]) r.schedule = std::move(s);
  }
  if (std::isfinite(c.bound))
    r.last_start_lower_bound = std::max<std::int32_t>(
        r.last_start_lower_bound, static_cast<std::int32_t>(std::ceil(c.bound + hi - 1e-6)));
  return "last op's start: " + c.status;
}

std::string prove_modulo(const Problem& p, SolveSspResult& r, const ProveOptions& o) {
  const auto t0 = Clock::now();
  std::string account;
  if (!r.ii_proven_minimal) {
    ProveOptions half = o;
    half.seconds = o.seconds / 2;
    const IiProofResult ip = prove_min_ii(p, r.schedule.ii, r.ii_lower_bound, half);
    if (ip.schedule) r.schedule = *ip.schedule;
    r.ii_lower_bound = std::max(r.ii_lower_bound, ip.ii_lower_bound);
    account = ip.proven_minimal ? "II proven minimal" : "II left open";
    r.ii_proven_minimal = r.schedule.ii <= r.ii_lower_bound;
  }
  if (r.ii_proven_minimal) {
    // A smaller II may have come with a new schedule: its own earliest bound applies.
    const auto earliest = earliest_starts(p, r.schedule.ii);
    if (!earliest.empty()) r.last_start_lower_bound = earliest[r.last];
  }
  const double left = o.seconds - seconds_since(t0);
  if (left > 0.1 && r.schedule.start[r.last] > r.last_start_lower_bound) {
    if (!account.empty()) account += "; ";
    account += min_last_start(p, r, r.schedule.ii, left, o);
  }
  r.method += "; CBC: " + (account.empty() ? std::string("nothing left to prove") : account);
  return account;
}

}  // namespace

std::string prove_ssp(const Problem& p, ProblemClass cls, SolveSspResult& r,
                      const ProveOptions& o) {
  std::string account = "exact without CBC";
  if (cls == ProblemClass::SharedOperators && !r.optimal) account = prove_shared(p, r, o);
  if (cls == ProblemClass::Modulo && !r.optimal) account = prove_modulo(p, r, o);
  finish(p, r);
  return account;
}

}  // namespace gaus::ssp
