#include "host/ilp/modulo_prove.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "host/ilp/budget.hpp"
#include "host/ilp/modulo_model.hpp"
#include "host/verify/verify.hpp"

namespace gaus {

namespace {

using ilp::Clock;
using ilp::seconds_since;

/// One II: "infeasible", "feasible" (with `found`), or why it stayed open.
IiAttempt try_ii(const Problem& p, std::int32_t ii, double seconds, const ProveOptions& o,
                 ModuloModel model, std::optional<Schedule>& found) {
  const auto t0 = Clock::now();
  IiAttempt a;
  a.ii = ii;
  auto done = [&](std::string outcome) {
    a.outcome = std::move(outcome);
    a.time_s = seconds_since(t0);
    return a;
  };
  ilp::Model m;
  try {
    const auto deadline = ilp::deadline_after(t0, seconds);
    if (model == ModuloModel::Auto) {
      std::int64_t steps = 0;
      if (const auto hi = ilp::modulo_latest_starts(p, ii)) {
        const std::vector<std::int32_t> lo = asap_starts(p);
        for (op_id i = 0; i < p.num_ops(); ++i) steps += std::max(0, (*hi)[i] - lo[i]);
      }
      model = steps <= 20LL * p.num_ops() * ii ? ModuloModel::TimeIndexed : ModuloModel::Residue;
    }
    m = model == ModuloModel::TimeIndexed
            ? ilp::build_modulo_model(p, ii, o.max_nonzeros, deadline)
            : ilp::build_modulo_residue_model(p, ii, o.max_nonzeros, deadline);
  } catch (const ilp::ModelTooLarge& e) {
    return done(std::string("model too large (") + e.what() + ")");
  } catch (const ilp::BuildOutOfTime& e) {
    return done(e.what());
  } catch (const InfeasibleError&) {  // a row of constants already violated: no schedule
    return done("infeasible");
  } catch (const InputError& e) {  // no finite window: nothing can be proven at this II
    return done(e.what());
  }
  a.columns = m.num_cols();
  a.rows = m.num_rows();
  a.nonzeros = m.num_nonzeros();
  const double left = seconds - seconds_since(t0);
  if (left <= 0.05) return done("no time left after building the model");
  const ilp::CbcResult c = ilp::solve_cbc(m, {}, ilp::cbc_options(o, left));
  if (c.infeasible) return done("infeasible");
  if (c.have) {
    Schedule s = ilp::decode_modulo(p, m, ii, c.x.data());
    if (verify(p, s, 1).legal) {
      found = std::move(s);
      return done("feasible");
    }
    return done("CBC's schedule failed the verifier (" + c.status + ")");
  }
  return done(c.status);
}

}  // namespace

IiProofResult prove_min_ii(const Problem& p, std::int32_t ii_found, std::int32_t ii_lower,
                           const ProveOptions& o, ModuloModel model) {
  const auto t0 = Clock::now();
  IiProofResult r;
  r.ii_lower_bound = std::max(ii_lower, 1);
  bool refuted_so_far = true;  // every II tried so far was proven infeasible
  for (std::int32_t ii = r.ii_lower_bound; ii < ii_found && !r.schedule; ++ii) {
    const double left = o.seconds - seconds_since(t0);
    if (left <= 0.05 || (o.stop && o.stop())) break;
    r.attempts.push_back(try_ii(p, ii, left, o, model, r.schedule));
    // past an undecided II the bound stops rising; a larger II may still beat ii_found
    if (r.attempts.back().outcome == "infeasible" && refuted_so_far) r.ii_lower_bound = ii + 1;
    else if (!r.schedule) refuted_so_far = false;
  }
  const std::int32_t best = r.schedule ? r.schedule->ii : ii_found;
  r.proven_minimal = r.ii_lower_bound >= best;
  r.time_s = seconds_since(t0);
  return r;
}

}  // namespace gaus
