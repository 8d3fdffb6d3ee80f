// Legalization of the relaxed schedule (docs/design.md section 4.3), verification, exact scoring
// and the best-so-far tracking of the solver.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "core/timing.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/improve/modulo_repair.hpp"
#include "host/verify/objectives.hpp"
#include "host/solver/solver_detail.hpp"

namespace gaus::detail {

double exact_objective(const Problem& p, Formulation f, const Schedule& s) {
  switch (f) {
    case Formulation::A: return formulation_a_score(p, s);
    case Formulation::B: return peak_memory(p, s);
    case Formulation::C: return s.ii > 0 ? peak_memory_modulo(p, s, s.ii) : peak_memory(p, s);
    case Formulation::Rcs: break;
  }
  return static_cast<double>(schedule_latency(p, s));
}

LegalizeFrame make_legalize_frame(const Problem& p, Formulation f, std::int32_t horizon,
                                  std::int32_t ii) {
  LegalizeFrame fr;
  fr.formulation = f;
  fr.horizon = horizon;
  fr.ii = ii;
  fr.alap = alap_starts(p, horizon);
  return fr;
}

Candidate make_candidate(const Problem& p, Formulation f, Schedule s) {
  Candidate c;
  c.exists = true;
  c.schedule = std::move(s);
  c.verification = verify(p, c.schedule, 20);
  c.objective = exact_objective(p, f, c.schedule);
  return c;
}

namespace {

/// One list-scheduling attempt; nullopt when IMS gives up at this II.
std::optional<Schedule> list_attempt(const Problem& p, const LegalizeFrame& fr,
                                     const ListOptions& lo, ListWorkspace& ws) {
  if (fr.ii > 0) return modulo_list_schedule(p, fr.ii, lo);
  return list_schedule(p, lo, ws);
}

/// The horizon a candidate is verified against: D, except for rcs, whose target D is a search
/// variable: any legal schedule is a candidate there, stamped with its own latency.
void stamp_horizon(const Problem& p, const LegalizeFrame& fr, Schedule& s) {
  s.horizon = fr.formulation == Formulation::Rcs ? schedule_latency(p, s) : fr.horizon;
  s.ii = fr.ii;
}

}  // namespace

/// legalize with a caller-owned list-scheduling workspace (one per thread), which keeps the
/// tie-break order and packed arcs of p from one checkpoint to the next; the same result.
Candidate legalize(const Problem& p, const LegalizeFrame& fr, std::span<const double> mu,
                   ListWorkspace& ws) {
  const op_id n = p.num_ops();
  ListOptions lo;
  lo.horizon = fr.horizon;
  lo.priority.assign(mu.begin(), mu.end());
  lo.release.resize(static_cast<std::size_t>(n));
  for (op_id i = 0; i < n; ++i) {
    // Clamping to ALAP(D) keeps every op inside D when units are unlimited (each op then starts
    // by max(release, dependency bound) <= ALAP_i by induction over the topological order).
    const double r = std::clamp(std::nearbyint(mu[i]), 0.0,
                                static_cast<double>(std::max(fr.alap[i], 0)));
    lo.release[i] = static_cast<std::int32_t>(r);
  }
  std::optional<Schedule> s = list_attempt(p, fr, lo, ws);
  const bool overshoot = s && schedule_latency(p, *s) > fr.horizon;
  if (!s || overshoot) {
    // Unit limits delayed ops past D (or IMS failed): pure mu order, no releases, packs the ops
    // as early as the units allow.
    ListOptions packed;
    packed.horizon = fr.horizon;
    packed.priority = std::move(lo.priority);
    std::optional<Schedule> t = list_attempt(p, fr, packed, ws);
    if (t && (!s || schedule_latency(p, *t) < schedule_latency(p, *s))) s = std::move(t);
  }
  if (fr.ii > 0 && (!s || schedule_latency(p, *s) > fr.horizon)) {
    // Where a class's residues are (nearly) all taken, IMS in mu order fails or runs past D:
    // the modulo repair from the rounded starts, within D.
    std::vector<std::int32_t> start = lo.release;
    ModuloRepairOptions ro;
    ro.moves = std::clamp<std::int64_t>(std::int64_t{50} * n, 5000, 200000);
    if (repair_modulo(p, fr.ii, fr.horizon, start, ro).repaired) {
      Schedule r;
      r.start = std::move(start);
      s = std::move(r);
    }
  }
  if (!s) return {};
  stamp_horizon(p, fr, *s);
  if (fr.formulation == Formulation::B && fr.ii == 0) {
    // improve_memory only reports a lower exact peak; the verifier still has the last word.
    Schedule t = *s;
    if (improve_memory(p, fr.horizon, t.start)) {
      Candidate c = make_candidate(p, fr.formulation, std::move(t));
      if (c.verification.legal) return c;
    }
  }
  return make_candidate(p, fr.formulation, std::move(*s));
}

Candidate legalize(const Problem& p, const LegalizeFrame& fr, std::span<const double> mu) {
  // One workspace for both attempts: the retry has the same priorities, so it reuses the order.
  ListWorkspace ws;
  return legalize(p, fr, mu, ws);
}

bool Tracker::offer(const Candidate& c, double time_s, std::int64_t iteration,
                    std::int32_t restart) {
  if (!c.exists) return false;
  if (!c.verification.legal) {
    if (!have_legal_ && (!have_any_ || c.verification.count < least_.verification.count)) {
      least_ = c;
      have_any_ = true;
    }
    return false;
  }
  if (!std::isfinite(c.objective)) return false;
  if (have_legal_ && !(c.objective < best_.objective)) return false;
  best_ = c;
  have_legal_ = true;
  have_any_ = true;
  history_.push_back({time_s, iteration, restart, c.objective});
  return true;
}

}  // namespace gaus::detail
