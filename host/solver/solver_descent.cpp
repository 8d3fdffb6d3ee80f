// The descent at one (D, II) (docs/design.md section 4.2): Adam on mu and rho, the augmented
// Lagrangian's multiplier and penalty updates, tau annealing, and legalization every E steps;
// a batch of restarts runs such descents in lockstep, checkpoint by checkpoint.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>

#include "core/adam.hpp"
#include "host/optimizer/optimizer.hpp"
#include "host/solver/solver_detail.hpp"

namespace gaus::detail {

namespace {

/// Zero multipliers and the starting penalty / temperature: every descent starts fresh.
LossConfig reset_engine(LossEngine& engine, const SolveOptions& o) {
  LossConfig c = engine.config();
  for (int t = 0; t < kNumTerms; ++t) {
    const auto term = static_cast<Term>(t);
    if (!is_constraint(term)) continue;
    c.penalty[t] = o.penalty_start;
    if (!c.active(term)) continue;
    std::vector<double> lambda = engine.multipliers(term);
    std::fill(lambda.begin(), lambda.end(), 0.0);
    engine.set_multipliers(term, lambda);
  }
  c.tau = o.tau_start;
  engine.set_config(c);
  return c;
}

std::string where(const LegalizeFrame& fr, std::int32_t restart, std::int64_t it) {
  std::string s = "restart " + std::to_string(restart) + " at D=" + std::to_string(fr.horizon);
  if (fr.ii > 0) s += " II=" + std::to_string(fr.ii);
  return s + ", iteration " + std::to_string(it);
}

/// What one member did up to one checkpoint: its steps, notes, and the legalized candidate (none
/// when the time limit or a non-finite loss stopped it first).
struct Checkpoint {
  std::int64_t it = 0;     ///< Adam steps taken by then
  std::int64_t steps = 0;  ///< since the previous checkpoint
  double loss = 0;         ///< J of the last evaluation
  bool has_candidate = false;
  bool timed_out = false;
  bool nonfinite = false;  ///< a non-finite loss or gradient stopped the member
  Candidate candidate;
  std::vector<std::string> notes;
};

/// One member's descent, split at its checkpoints: advance() steps through the next few
/// checkpoints (legalizing at each) touching only the member's own state, so members advance in
/// parallel; settle() replays one checkpoint into ctx (the tracker, the counters and notes, the
/// progress callback) on one thread, in member order. What advance() decides alone (its own
/// patience, its own goal, its budget) depends only on its own checkpoints, so the replay is
/// the same however many checkpoints a round holds.
class Descent {
 public:
  Descent(const SolveContext& ctx, Member& m, const LegalizeFrame& fr, std::int64_t budget,
          double stop_at)
      : ctx_(ctx), o_(ctx.o), m_(m), fr_(fr), budget_(budget), stop_at_(stop_at) {
    cfg_ = reset_engine(*m.engine, o_);
    // The parameters live in the optimizer (on the device for the CUDA engine) between
    // checkpoints; mu and rho are brought back to the host to legalize and at the end.
    opt_ = make_param_optimizer(*m.engine, o_.sigma_min);
    opt_->reset(m.mu, m.rho);
    const double horizon = fr.horizon;
    // sigma beyond the horizon carries no information and only slows the windows down.
    // (The engine rejects sigma > 1e6 and |mu| > 1e9; both bounds stay well inside.)
    rho_max_ = rho_from_sigma(std::min(std::max(horizon, 2.0 * o_.sigma_min), 1e5) + o_.sigma_min,
                              o_.sigma_min);
    rho_cap_ = rho_max_;
    mu_lo_ = std::max(-horizon, -1e8);
    mu_hi_ = std::min(2.0 * horizon, 1e8);
  }

  [[nodiscard]] bool active() const { return active_; }
  [[nodiscard]] bool running() const { return running_; }
  [[nodiscard]] std::size_t recorded() const { return records_.size(); }
  /// Whether this is one of the R planned restarts (not one on the time left).
  [[nodiscard]] bool planned() const { return m_.restart < o_.restarts; }
  /// Adam steps taken, and the share of the iteration budget they are.
  [[nodiscard]] std::int64_t steps() const { return it_; }
  [[nodiscard]] double progress() const {
    return budget_ > 0 ? static_cast<double>(it_) / static_cast<double>(budget_) : 1.0;
  }
  void stop() { active_ = false; }

  /// Runs up to `count` more checkpoints (the first call starts with the initial mu's),
  /// stopping early where the member stops on its own.
  void advance(std::size_t count) {
    records_.clear();
    while (running_ && records_.size() < count) {
      Checkpoint& c = records_.emplace_back();
      if (started_) step_to_checkpoint(c);
      started_ = true;
      if (!c.timed_out && !c.nonfinite) {
        c.candidate = legalize(ctx_.p, fr_, m_.mu, workspace_);
        c.has_candidate = true;
      }
      c.it = it_;
      c.loss = last_loss_;
      nonfinite_ |= c.nonfinite;
      judge(c);
    }
  }

  /// Replays checkpoint k of the last advance() into ctx; `offer` = false (the solve was
  /// cancelled meanwhile): counts only. Returns true when the member met stop_at there.
  bool settle(SolveContext& ctx, std::size_t k, bool offer) {
    Checkpoint& c = records_[k];
    ctx.iterations += c.steps;
    for (std::string& n : c.notes) ctx.notes.push_back(std::move(n));
    if (c.timed_out) ctx.timed_out = true;
    if (c.nonfinite) m_.result.nonfinite = true;
    if (!c.has_candidate || !offer) return false;
    const Candidate& cand = c.candidate;
    const bool legal = cand.exists && cand.verification.legal;
    ctx.tracker.offer(cand, ctx.elapsed(), ctx.iterations, m_.restart);
    DescentResult& out = m_.result;
    if (legal && (std::isnan(out.best) || cand.objective < out.best)) {
      out.best = cand.objective;
      out.best_schedule = cand.schedule;
    }
    if (legal && cand.objective <= stop_at_) out.found = true;
    if (o_.progress) {
      Progress pr;
      pr.restart = m_.restart;
      pr.iteration = c.it;
      pr.time_s = ctx.elapsed();
      pr.loss = c.loss;
      pr.have_legal = ctx.tracker.have_legal();
      pr.best_objective = pr.have_legal ? ctx.tracker.best_objective() : 0.0;
      if (std::isfinite(ctx.proof_bound)) pr.lower_bound = ctx.proof_bound;
      pr.horizon = fr_.horizon;
      pr.ii = fr_.ii;
      if (!o_.progress(pr)) ctx.cancelled = true;
    }
    return out.found;
  }

  /// The parameters where the descent stopped (unchanged when its first checkpoint ended it,
  /// as the sequential descent left them).
  void finish(SolveContext& ctx) {
    if (!stepped_) return;
    opt_->read(m_.mu, m_.rho);  // the caller continues from where this descent stopped
    if (!nonfinite_ && opt_->saw_nonfinite())
      ctx.notes.push_back("non-finite gradient in the last step of restart " +
                          std::to_string(m_.restart) + "; those ops kept their parameters");
  }

 private:
  /// The member's own stopping rules after checkpoint c: its goal (stop_at), patience (not in
  /// a feasibility solve still looking for D), the budget, the time limit, a non-finite loss.
  void judge(const Checkpoint& c) {
    if (!c.has_candidate) {
      running_ = false;
      return;
    }
    const Candidate& cand = c.candidate;
    const bool legal = cand.exists && cand.verification.legal;
    if (legal && (std::isnan(local_best_) || cand.objective < local_best_)) {
      local_best_ = cand.objective;
      stale_ = 0;
    } else {
      ++stale_;
    }
    const bool stop = (legal && cand.objective <= stop_at_) ||
                      (stop_at_ == -HUGE_VAL && o_.patience > 0 && stale_ >= o_.patience);
    if (it_ == 0 && !stop) stepped_ = true;
    if (stop || it_ >= budget_) running_ = false;
  }

  /// Adam steps up to the next checkpoint (every E steps and at the budget).
  void step_to_checkpoint(Checkpoint& c) {
    const double tau_ratio = o_.tau_end / o_.tau_start;
    // The sigma cap shrinks geometrically from sigma_init_max to sigma_end over the budget: the
    // soft maxima reward spread-out Gaussians, which otherwise keep their mu several sigma
    // apart and leave slack that the legalized schedule inherits.
    const double cap_ratio =
        std::min(1.0, o_.sigma_end / std::max(o_.sigma_init_max, o_.sigma_end));
    LossEngine& engine = *m_.engine;
    while (it_ < budget_) {
      const std::int64_t it = ++it_;
      if (o_.sigma_end > 0) {
        const double cap =
            o_.sigma_init_max * std::pow(cap_ratio, static_cast<double>(it) / budget_);
        rho_cap_ = std::min(rho_max_, rho_from_sigma(std::max(cap, 2.0 * o_.sigma_min),
                                                     o_.sigma_min));
      }
      if (ctx_.out_of_time()) {
        c.timed_out = true;
        return;
      }
      opt_->push();
      const LossResult r = engine.evaluate(true);
      last_loss_ = r.objective;
      if (!std::isfinite(r.objective)) {
        c.notes.push_back("non-finite loss (" + std::to_string(r.objective) + ") at " +
                          where(fr_, m_.restart, it) + "; that restart stopped");
        c.nonfinite = true;
        return;
      }
      const AdamStep<double> step{o_.learning_rate, o_.beta1, o_.beta2, o_.adam_eps,
                                  1.0 - std::pow(o_.beta1, static_cast<double>(it)),
                                  1.0 - std::pow(o_.beta2, static_cast<double>(it))};
      // Keep the parameters where the engine accepts them and the windows stay near D.
      if (!opt_->step(step, StepBounds{mu_lo_, mu_hi_, rho_cap_})) {
        c.notes.push_back("non-finite gradient at or before " + where(fr_, m_.restart, it) +
                          "; that restart stopped");
        c.nonfinite = true;
        return;
      }
      ++c.steps;
      bool reconfigure = false;
      if (o_.multiplier_every > 0 && it % o_.multiplier_every == 0) {
        engine.update_multipliers();
        for (int t = 0; t < kNumTerms; ++t)
          if (is_constraint(static_cast<Term>(t)))
            cfg_.penalty[t] = std::min(o_.penalty_max, cfg_.penalty[t] * o_.penalty_growth);
        reconfigure = true;
      }
      const bool checkpoint = it % o_.eval_every == 0 || it == budget_;
      if (checkpoint) {
        cfg_.tau = o_.tau_start * std::pow(tau_ratio, static_cast<double>(it) / budget_);
        reconfigure = true;
      }
      if (reconfigure) engine.set_config(cfg_);
      if (checkpoint) {
        opt_->read(m_.mu, m_.rho);
        return;
      }
    }
  }

  const SolveContext& ctx_;
  const SolveOptions& o_;
  Member& m_;
  const LegalizeFrame& fr_;
  std::int64_t budget_;
  double stop_at_;
  LossConfig cfg_;
  std::unique_ptr<ParamOptimizer> opt_;
  double rho_max_ = 0, rho_cap_ = 0, mu_lo_ = 0, mu_hi_ = 0;
  std::int64_t it_ = 0;     ///< Adam steps taken
  std::int32_t stale_ = 0;  ///< checkpoints since local_best_ improved
  double local_best_ = std::numeric_limits<double>::quiet_NaN();
  double last_loss_ = 0;
  bool started_ = false;
  bool running_ = true;   ///< advance() may go on (the member's own rules)
  bool active_ = true;    ///< the batch may go on with it (cleared by a batch-wide stop)
  bool stepped_ = false;  ///< the first checkpoint did not end the descent
  bool nonfinite_ = false;
  std::vector<Checkpoint> records_;
  ListWorkspace workspace_;  ///< list scheduling's order and arcs, kept across checkpoints
};

/// B with a finite deadline (annealing gets the time after it): whether the planned restarts'
/// batch, at the rate it has stepped so far, would reach the deadline before its members
/// finish their iteration budgets (restarts on the time left run until the deadline as
/// before). A descent cut off early in its temperature and sigma schedules legalizes to little
/// (EPFL at 4 s: log2 reaches 148 of 2,000 iterations and div 219, each batch's best worse than
/// the ALAP start), so such a batch stops once the rate is measured (descents_cannot_finish),
/// and the annealing has the rest of the time (formulations.cpp).
bool outrun(const SolveContext& ctx, const LegalizeFrame& fr,
            const std::vector<Descent*>& running, double t_begin) {
  if (fr.formulation != Formulation::B || fr.ii != 0 || !std::isfinite(ctx.deadline_s) ||
      !ctx.o.anneal)
    return false;
  double done = 1;
  std::int64_t steps = std::numeric_limits<std::int64_t>::max();
  for (const Descent* d : running) {
    if (!d->planned()) return false;
    done = std::min(done, d->progress());
    steps = std::min(steps, d->steps());
  }
  return descents_cannot_finish(ctx.elapsed() - t_begin, done, ctx.deadline_s - t_begin, steps,
                                2 * std::int64_t{ctx.o.eval_every});
}

}  // namespace

bool descents_cannot_finish(double spent_s, double done, double window_s, std::int64_t steps,
                            std::int64_t min_steps) {
  if (steps < min_steps || !(done > 0) || done >= 1) return false;
  if (spent_s < 0.1 * window_s) return false;  // a stall at the start would decide alone
  return spent_s / done > window_s;
}

void run_batch(SolveContext& ctx, std::span<Member> members, const LegalizeFrame& fr,
               std::int64_t budget, double stop_at, bool parallel) {
  std::vector<Descent> ds;
  ds.reserve(members.size());
  for (Member& m : members) {
    m.result = DescentResult();
    ds.emplace_back(ctx, m, fr, budget, stop_at);
  }
  // In parallel, a round advances every member several checkpoints, in threads when the work
  // outweighs waking them: a fork/join costs microseconds on an idle machine but can cost a
  // scheduler time slice on a busy one, so both are measured (ctx) and a round is long enough
  // that the fork costs under a tenth of it, yet short enough (a quarter second) to report
  // progress and honour a cancellation promptly. The replay is the same for any round length.
  // One after another, a round is one checkpoint, which reports progress as it happens.
  const int threads = parallel ? batch_threads() : 1;
  constexpr double max_round = 64, min_round_s = 0.01, max_round_s = 0.25;
  bool first = true;  // the first round starts with the initial means' legalization
  std::vector<Descent*> running;
  const double t_begin = ctx.elapsed();
  for (;;) {
    running.clear();
    for (Descent& d : ds)
      if (d.active()) running.push_back(&d);
    if (running.empty()) break;
    const auto n = static_cast<double>(running.size());
    std::size_t round = 1;
    int team = 1;
    if (parallel && ctx.checkpoint_s > 0) {
      const double per_round = ctx.checkpoint_s * n;  // busy seconds of one checkpoint each
      const double want = std::max(min_round_s, 10.0 * ctx.fork_s * threads) / per_round;
      const double cap = std::min(max_round, max_round_s * threads / per_round);
      round = static_cast<std::size_t>(std::clamp(std::ceil(want), 1.0, std::max(cap, 1.0)));
      const double saved = per_round * static_cast<double>(round) * (1.0 - 1.0 / threads);
      // Forking is re-tried after 20 forks' worth of time without (a busy spell may have made
      // it look dear), which bounds what the retries cost.
      if (saved > 2.0 * ctx.fork_s || ctx.unforked_s >= 20.0 * ctx.fork_s) team = threads;
      else round = 1;  // no fork to pay for: a race stops at once
    }
    const RoundTime rt =
        for_each_member(team, running.size(), [&](std::size_t k) { running[k]->advance(round); });
    if (parallel) {
      std::size_t records = 0;
      for (const Descent* d : running) records += d->recorded();
      // A first round of one checkpoint only legalized: it says nothing of the steps.
      if (records > 0 && !(first && round == 1))
        ctx.checkpoint_s = rt.busy_sum / static_cast<double>(records);
      if (team > 1) {
        const double fork = std::max(0.0, rt.wall - rt.busy_max);
        ctx.fork_s = ctx.fork_s > 0 ? 0.5 * (ctx.fork_s + fork) : fork;
        ctx.unforked_s = 0;
      } else {
        ctx.unforked_s += rt.wall;
      }
    }
    first = false;
    // Checkpoint-major replay: every member's k-th checkpoint before anyone's (k+1)-th.
    bool stop = false;
    std::size_t k = 0;
    for (; k < round && !stop; ++k) {
      bool found = false;
      for (Descent* d : running)
        if (k < d->recorded()) found |= d->settle(ctx, k, !ctx.cancelled);
      // A race (stop_at) ends with its first winners; a stopped solve ends every member, and
      // so does a best schedule that meets the proven bound (nothing can beat it).
      stop = found || ctx.cancelled || ctx.timed_out || ctx.proven();
    }
    if (!stop && outrun(ctx, fr, running, t_begin)) {
      ctx.descents_outrun = true;
      stop = true;
    }
    // Checkpoints after a batch-wide stop are dropped unreplayed (their steps uncounted), as if
    // the round had ended there.
    for (Descent* d : running)
      if (stop || !d->running()) d->stop();
  }
  for (Descent& d : ds) d.finish(ctx);
}

DescentResult run_descent(SolveContext& ctx, LossEngine& engine, const LegalizeFrame& fr,
                          std::int32_t restart, std::int64_t budget, double stop_at,
                          std::vector<double>& mu, std::vector<double>& rho) {
  Member m;
  m.restart = restart;
  m.engine = &engine;
  m.mu = std::move(mu);
  m.rho = std::move(rho);
  run_batch(ctx, std::span<Member>(&m, 1), fr, budget, stop_at, false);
  mu = std::move(m.mu);
  rho = std::move(m.rho);
  return m.result;
}

}  // namespace gaus::detail
