#include "host/ilp/prove.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "host/ilp/budget.hpp"
#include "host/ilp/model.hpp"
#include "host/verify/verify.hpp"

namespace gaus {

namespace {

using ilp::seconds_since;

ilp::Kind kind_of(Formulation f) {
  switch (f) {
    case Formulation::Rcs: return ilp::Kind::Rcs;
    case Formulation::A: return ilp::Kind::A;
    case Formulation::B: return ilp::Kind::B;
    case Formulation::C: break;
  }
  throw InputError("prove: formulation C (modulo) has no ILP model; rcs, A and B have one");
}

/// The larger of two bounds, NaN only when both are.
double larger(double a, double b) {
  if (std::isnan(a)) return b;
  if (std::isnan(b)) return a;
  return std::max(a, b);
}

}  // namespace

ProveResult prove(const Problem& p, Formulation f, const Schedule& start, const ProveOptions& o) {
  const auto t0 = ilp::Clock::now();
  const ilp::Kind kind = kind_of(f);
  const bool offered = o.use_start && start.start.size() == static_cast<std::size_t>(p.num_ops());
  if (o.use_start && !offered)
    throw InputError("prove: the start schedule has " + std::to_string(start.start.size()) +
                     " starts for " + std::to_string(p.num_ops()) + " ops");
  if (!offered && o.horizon <= 0) throw InputError("prove: without a start, give a horizon");
  std::int32_t horizon = o.horizon;
  if (horizon <= 0)
    horizon = kind == ilp::Kind::Rcs || start.horizon <= 0 ? schedule_latency(p, start)
                                                           : start.horizon;
  ProveResult r;
  r.horizon = horizon;
  Schedule init = start;
  init.horizon = horizon;
  const bool init_legal = offered && verify(p, init, 1).legal;
  if (init_legal) {
    r.schedule = init;
    r.objective = r.start_objective = ilp::exact_objective(p, kind, init);
    r.have = true;
  }
  r.lower_bound = o.lower_bound;
  auto finish = [&](ProveResult& x) -> ProveResult {
    if (x.have && !std::isnan(x.lower_bound)) {
      x.lower_bound = std::min(x.lower_bound, x.objective);
      x.optimal = x.objective <= x.lower_bound + 1e-6 * std::max(1.0, std::abs(x.objective));
    }
    x.time_s = seconds_since(t0);
    return x;
  };

  ilp::Model m;
  try {
    m = ilp::build_model(p, kind, horizon, o.max_nonzeros, o.lower_bound,
                         ilp::deadline_after(t0, o.seconds));
  } catch (const ilp::ModelTooLarge& e) {
    r.status = std::string("model too large (") + e.what() + ")";
    r.build_s = seconds_since(t0);
    return finish(r);
  } catch (const ilp::BuildOutOfTime& e) {
    r.status = e.what();
    r.build_s = seconds_since(t0);
    return finish(r);
  }
  r.build_s = seconds_since(t0);
  r.columns = m.num_cols();
  r.rows = m.num_rows();
  r.nonzeros = m.num_nonzeros();
  const double left = o.seconds - r.build_s;
  if (left <= 0.05) {
    r.status = "no time left after building the model";
    return finish(r);
  }
  // an illegal start (a list schedule past a given horizon) is still offered: CBC repairs or
  // drops it
  const std::vector<double> x0 = offered ? ilp::encode(p, m, kind, init) : std::vector<double>{};
  const ilp::CbcResult c = ilp::solve_cbc(m, x0, ilp::cbc_options(o, left));
  r.status = c.status;
  r.infeasible = c.infeasible;
  bool from_cbc = false;
  if (c.have) {
    Schedule s = ilp::decode(p, m, c.x.data());
    if (verify(p, s, 1).legal) {
      const double obj = ilp::exact_objective(p, kind, s);
      if (!r.have || obj < r.objective) {
        r.improved = r.have;
        r.schedule = std::move(s);
        r.objective = obj;
        r.have = from_cbc = true;
      }
    } else {
      r.status += "; CBC's solution failed the verifier and was dropped";
    }
  }
  // CBC's bound is of its objective: rounded up when every objective value is an integer. When
  // it proves its own solution optimal, that solution's objective is the bound.
  double bound = c.bound + m.obj_offset;
  if (std::isfinite(bound) && m.integral) bound = std::ceil(bound - 1e-6);
  if (c.optimal && from_cbc) bound = r.objective;
  if (std::isfinite(bound)) r.lower_bound = larger(r.lower_bound, bound);
  return finish(r);
}

}  // namespace gaus
