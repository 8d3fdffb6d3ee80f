// The passes of the CPU loss engine (included once by host/loss/cpu/cpu_backend.cpp):
//   build_table  per op: F(d) (and phi/Phi for the memory terms) over its window, read by the rest
//   memory_spans per op: the ranges of the memory terms, offsets of their cached products
//   op_forward   per op: the edge terms of its out-edges (dependency / recurrence /
//                communication values; source gradients summed per op, destination gradients
//                stored per edge, no races); horizon; expected use, peak use and memory into
//                per-step sums
//   finish_steps capacity penalties and soft maxima with their upstream gradients
//   op_backward  per op: gradients of the per-step terms (memory consumers per entry)
//   gather_and_sum per op: own + out-edge + in-edge + memory-entry gradients, in fixed order;
//                the sums of the per-edge and per-op values

namespace gaus {
namespace {

template <class T>
LossResult CpuLossEngine<T>::evaluate(bool with_grad) {
  LossResult r;
  const bool modulo = cfg_.ii > 0;
  for (int t = 0; t < kNumTerms; ++t) r.computed[t] = on(static_cast<Term>(t));
  r.computed[static_cast<int>(Term::Recurrence)] = on(Term::Recurrence) && modulo;
  r.computed[static_cast<int>(Term::ModuloMemory)] = on(Term::ModuloMemory) && modulo;
  r.tau_peak = layout_.tau_peak;
  r.tau_memory = layout_.tau_memory;
  r.tau_modulo_memory = layout_.tau_modulo_memory;
  last_ = r;  // the passes read last_.computed
  build_table();
  memory_spans();
  op_forward();
  finish_steps(r);
  if (with_grad) op_backward();
  gather_and_sum(r, with_grad);
  r.objective = 0.0;
  for (int t = 0; t < kNumTerms; ++t)
    if (r.computed[t]) r.objective += cfg_.weight[t] * r.value[t] + r.augmented[t];
  last_ = r;
  have_grads_ = with_grad;
  return r;
}

template <class T>
void CpuLossEngine<T>::build_table() {
  const auto on_ = [this](Term t) { return last_.computed[static_cast<int>(t)]; };
  const bool mem = on_(Term::Memory) || on_(Term::ModuloMemory);
  const bool needed = mem || on_(Term::Communication) || on_(Term::PeakUse) ||
                      (on_(Term::Capacity) && model_.num_limited() > 0) ||
                      (!cfg_.closed_form_dependency &&
                       (on_(Term::Dependency) || on_(Term::Recurrence)));
  if (!needed) return;
  tab_.build(mu_, sigma_, static_cast<T>(cfg_.window), threads_, parallel());
}

/// The edge terms of op i's out-edges (run inside op_forward's loop: the successors' table rows
/// read here are then still in cache for the memory term's consumer product of the same op).
template <class T>
void CpuLossEngine<T>::edge_op(op_id i, bool dep, bool rec, bool com) {
  double s_mu = 0.0, s_sigma = 0.0;
  for (edge_id e = p_.succ_offsets[i]; e < p_.succ_offsets[i + 1]; ++e) {
    const op_id j = p_.edge_dst[e];
    const std::int32_t dist = p_.edge_distance[e];
    double v = 0.0, cv = 0.0, gj_mu = 0.0, gj_sigma = 0.0;
    if (dist == 0 ? dep : rec) {
      const Term t = dist == 0 ? Term::Dependency : Term::Recurrence;
      const std::int64_t lambda =
          p_.edge_delay[e] - static_cast<std::int64_t>(dist) * cfg_.ii;
      const EdgeGrad<T> g =
          cfg_.closed_form_dependency
              ? precedence_violation_closed(mu_[i], sigma_[i], mu_[j], sigma_[j], lambda)
              : precedence_violation_tab(tab_, i, j, lambda);
      v = g.value;
      const double up = augmented_upstream(w(t), lam_edge_[e], rho(t), v);  // dJ/dV_e
      s_mu += up * g.mu_i;
      s_sigma += up * g.sigma_i;
      gj_mu += up * g.mu_j;
      gj_sigma += up * g.sigma_j;
    }
    if (dist == 0 && com && p_.edge_weight[e] != 0.0) {
      const EdgeGrad<T> g = communication_distance_tab(tab_, i, j);
      const double c = p_.edge_weight[e];
      cv = c * g.value;
      const double up = w(Term::Communication) * c;  // dJ/dE_e
      s_mu += up * g.mu_i;
      s_sigma += up * g.sigma_i;
      gj_mu += up * g.mu_j;
      gj_sigma += up * g.sigma_j;
    }
    edge_val_[e] = v;
    comm_val_[e] = cv;
    eg_mu_[e] = gj_mu;
    eg_sigma_[e] = gj_sigma;
  }
  gsrc_mu_[i] = s_mu;
  gsrc_sigma_[i] = s_sigma;
}

/// Prefetches, while op i is processed, the OpInfo of the successors (`edges`) or memory
/// consumers of op i + 16 and the table rows of those of op i + 8 (whose OpInfo is then cached).
template <class T>
void CpuLossEngine<T>::prefetch_neighbours(op_id i, op_id n, bool edges) const {
  const auto each = [&](op_id k, auto&& f) {
    if (k >= n) return;
    if (edges) {
      for (edge_id e = p_.succ_offsets[k]; e < p_.succ_offsets[k + 1]; ++e) f(p_.edge_dst[e]);
    } else {
      for (edge_id e = model_.mem_offsets[k]; e < model_.mem_offsets[k + 1]; ++e)
        f(model_.mem_dst[e]);
    }
  };
  each(i + 16, [&](op_id j) { tab_.prefetch_info(j); });
  each(i + 8, [&](op_id j) { tab_.prefetch_row(j, edges); });
}

template <class T>
typename CpuLossEngine<T>::Active CpuLossEngine<T>::active() const {
  const auto on_ = [this](Term t) { return last_.computed[static_cast<int>(t)]; };
  return Active{on_(Term::Horizon),
                on_(Term::Capacity) && model_.num_limited() > 0,
                on_(Term::PeakUse),
                on_(Term::Memory),
                on_(Term::ModuloMemory),
                on_(Term::Dependency),
                on_(Term::Recurrence),
                on_(Term::Communication)};
}

template <class T>
void CpuLossEngine<T>::op_forward() {
  const Active a = active();
  const op_id n = p_.num_ops();
#pragma omp parallel num_threads(threads_) if (parallel())
  {
    const int t = thread_id();
    // The team can be smaller than threads_ (an engine evaluated inside another parallel
    // region gets one thread): every per-thread buffer is cleared, the absent threads' too,
    // because the reduction sums all of them.
    for (int u = t; u < threads_; u += team_size()) {
      if (a.cap) use_.clear(u);
      if (a.peak) peak_.clear(u);
      if (a.mem) mem_.clear(u);
      if (a.mod) mod_.clear(u);
    }
#pragma omp for schedule(dynamic, 256)
    for (op_id i = 0; i < n; ++i) forward_one(i, n, t, a);
  }
}

template <class T>
void CpuLossEngine<T>::forward_one(op_id i, op_id n, int t, const Active& a) {
  const std::int64_t horizon = cfg_.horizon;
  prefetch_neighbours(i, n, true);
  edge_op(i, a.dep, a.rec, a.com);
  const T mu = mu_[i];
  const T sigma = sigma_[i];
  double gm = 0.0, gs = 0.0, hv = 0.0;
  if (a.hor) {
    const OpGrad<T> g =
        horizon_violation_fast(mu, sigma, horizon - occupancy(p_, i), FastErfcx::get());
    hv = g.value;
    const double up = augmented_upstream(w(Term::Horizon), lam_op_[i], rho(Term::Horizon), hv);
    gm = up * g.mu;
    gs = up * g.sigma;
  }
  hval_[i] = hv;
  own_mu_[i] = gm;
  own_sigma_[i] = gs;
  if (a.cap && model_.cap_class[i] >= 0) {
    const std::int64_t row = model_.cap_class[i];
    const double u = cfg_.weighted_capacity ? p_.weight[i] : 1.0;
    use_sweep_tab(tab_, i, p_.blocking[i], 0, horizon,
                  [&](std::int64_t d, T x, T, T) { use_.add(t, row, d, u * x); });
  }
  if (a.peak && p_.weight[i] != 0.0) {
    const double wi = p_.weight[i];
    use_sweep_tab(tab_, i, 1, 0, horizon,
                  [&](std::int64_t d, T x, T, T) { peak_.add(t, 0, d, wi * x); });
  }
  const std::int64_t count = model_.mem_offsets[i + 1] - model_.mem_offsets[i];
  const T b = static_cast<T>(p_.out_size[i]);
  for (int mode : {0, 1}) {
    if (!(mode == 0 ? a.mem : a.mod) || count == 0) continue;
    StepSums& sums = mode == 0 ? mem_ : mod_;
    MemCache& mc = mcache_[mode];
    T* g = mc.buf.data() + 2 * mc.off[static_cast<std::size_t>(i)];
    const MemSpan& ms = mc.span[static_cast<std::size_t>(i)];
    memory_forward_span(
        tab_, i, b, ms, count, consumers(i, mode), g, g + ms.len(),
        [&](std::int64_t d, T x) { sums.add(t, 0, d, x); },
        [&](std::int64_t from, std::int64_t to, T x) { sums.add_flat(t, 0, from, to, x); });
  }
}

/// Per op: the ranges of its memory terms and an offset into one buffer that keeps G and 1 - G
/// from the forward pass for the backward pass (no recomputation of the consumer products).
template <class T>
void CpuLossEngine<T>::memory_spans() {
  const op_id n = p_.num_ops();
  for (int mode : {0, 1}) {
    const Term term = mode == 0 ? Term::Memory : Term::ModuloMemory;
    if (!last_.computed[static_cast<int>(term)]) continue;
    MemCache& mc = mcache_[mode];
    mc.span.resize(static_cast<std::size_t>(n));
    mc.off.resize(static_cast<std::size_t>(n) + 1);
    const std::int64_t end = mode == 0 ? cfg_.horizon : layout_.mod_range;
#pragma omp parallel for schedule(dynamic, 1024) num_threads(threads_) if (parallel())
    for (op_id i = 0; i < n; ++i) {
      const std::int64_t count = model_.mem_offsets[i + 1] - model_.mem_offsets[i];
      mc.span[static_cast<std::size_t>(i)] =
          count == 0 ? MemSpan{}
                     : memory_span_tab(tab_, i, static_cast<T>(p_.out_size[i]), count, 0, end,
                                       consumers(i, mode));
    }
    std::int64_t total = 0;
    for (op_id i = 0; i < n; ++i) {
      mc.off[static_cast<std::size_t>(i)] = total;
      total += mc.span[static_cast<std::size_t>(i)].len();
    }
    mc.off[static_cast<std::size_t>(n)] = total;
    if (static_cast<std::int64_t>(mc.buf.size()) < 2 * total)
      mc.buf.resize(static_cast<std::size_t>(2 * total));
  }
}

template <class T>
void CpuLossEngine<T>::finish_steps(LossResult& r) {
  const auto idx = [](Term t) { return static_cast<int>(t); };
  if (r.computed[idx(Term::Capacity)]) {
    std::fill(cap_val_.begin(), cap_val_.end(), 0.0);
    use_g_.assign(cap_val_.size(), 0.0);
    if (model_.num_limited() > 0) {
      use_.reduce(use_v_);
      double val = 0.0, aug = 0.0;
      const double rho_c = rho(Term::Capacity);
      for (std::size_t c = 0; c < cap_val_.size(); ++c) {
        const std::size_t kk = c / static_cast<std::size_t>(layout_.cap_steps);
        const CapacityPenalty<double> cp = capacity_penalty(use_v_[c], model_.cap_limit[kk]);
        if (cp.excess == 0.0) continue;  // within the limit: V = 0, no gradient
        cap_val_[c] = cp.value;
        val += cp.value;
        aug += augmented_value(lam_cap_[c], rho_c, cp.value);
        use_g_[c] = capacity_upstream(
            augmented_upstream(w(Term::Capacity), lam_cap_[c], rho_c, cp.value), cp.excess);
      }
      r.value[idx(Term::Capacity)] = val;
      r.augmented[idx(Term::Capacity)] = aug;
    }
  }
  if (r.computed[idx(Term::PeakUse)]) {
    peak_.reduce(peak_v_);
    r.value[idx(Term::PeakUse)] =
        soft_max_steps(peak_v_, layout_.tau_peak, w(Term::PeakUse), peak_g_);
  }
  if (r.computed[idx(Term::Memory)]) {
    mem_.reduce(mem_v_);
    r.value[idx(Term::Memory)] =
        soft_max_steps(mem_v_, layout_.tau_memory, w(Term::Memory), mem_g_);
  }
  if (r.computed[idx(Term::ModuloMemory)]) {
    mod_.reduce(mod_v_);
    r.value[idx(Term::ModuloMemory)] =
        soft_max_steps(mod_v_, layout_.tau_modulo_memory, w(Term::ModuloMemory), mod_g_);
  }
}

/// A use_sweep_chunks consumer adding sum_d u up[d] (r_mu(d), r_sigma(d)) to (gm, gs), the
/// steps' terms summed in vector lanes.
template <class T>
auto dot_chunk(double u, const double* up, double& gm, double& gs) {
  return [u, up, &gm, &gs](std::int64_t first, std::int64_t n, const T*, const T* r_mu,
                           const T* r_sg) {
    const double* g = up + first;
    double a = 0.0, b = 0.0;
#pragma omp simd reduction(+ : a, b)
    for (std::int64_t k = 0; k < n; ++k) {
      const double x = u * g[k];
      a += x * r_mu[k];
      b += x * r_sg[k];
    }
    gm += a;
    gs += b;
  };
}

template <class T>
void CpuLossEngine<T>::op_backward() {
  const Active a = active();
  const op_id n = p_.num_ops();
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads_) if (parallel())
  for (op_id i = 0; i < n; ++i) backward_one(i, n, a);
}

template <class T>
void CpuLossEngine<T>::backward_one(op_id i, op_id n, const Active& a) {
  const std::int64_t horizon = cfg_.horizon;
  const std::int64_t cap_steps = layout_.cap_steps;
  const bool fold = cfg_.ii > 0;
  const std::int64_t ii = cfg_.ii;
  if (a.mem || a.mod) prefetch_neighbours(i, n, false);
  double gm = own_mu_[i], gs = own_sigma_[i];
  if (a.cap && model_.cap_class[i] >= 0) {
    const double u = cfg_.weighted_capacity ? p_.weight[i] : 1.0;
    const double* g = use_g_.data() + model_.cap_class[i] * cap_steps;
    if (fold) {
      use_sweep_tab(tab_, i, p_.blocking[i], 0, horizon, [&](std::int64_t d, T, T r_mu, T r_sg) {
        const double up = u * g[d % cap_steps];  // dJ/dR_i(d) = u_i dJ/dU_k(d)
        gm += up * r_mu;
        gs += up * r_sg;
      });
    } else {
      use_sweep_chunks(tab_, i, p_.blocking[i], 0, horizon, dot_chunk<T>(u, g, gm, gs));
    }
  }
  if (a.peak && p_.weight[i] != 0.0)  // dJ/dP_i(d) = w_i dJ/dW(d)
    use_sweep_chunks(tab_, i, 1, 0, horizon, dot_chunk<T>(p_.weight[i], peak_g_.data(), gm, gs));
  const edge_id off = model_.mem_offsets[i];
  const std::int64_t count = model_.mem_offsets[i + 1] - off;
  std::fill_n(mg_mu_.begin() + off, count, 0.0);
  std::fill_n(mg_sigma_.begin() + off, count, 0.0);
  const auto acc = [&](std::int64_t q, double g_mu, double g_sg) {
    mg_mu_[off + q] += g_mu;
    mg_sigma_[off + q] += g_sg;
  };
  const T b = static_cast<T>(p_.out_size[i]);
  for (int mode : {0, 1}) {
    if (!(mode == 0 ? a.mem : a.mod) || count == 0) continue;
    MemCache& mc = mcache_[mode];
    T* g = mc.buf.data() + 2 * mc.off[static_cast<std::size_t>(i)];
    const MemSpan& ms = mc.span[static_cast<std::size_t>(i)];
    const std::vector<double>& up = mode == 0 ? mem_g_ : mod_g_;
    const OpGrad<T> og = memory_backward_span(
        tab_, i, b, ms, count, consumers(i, mode), g, g + ms.len(),
        [&](std::int64_t d) {
          return static_cast<T>(up[static_cast<std::size_t>(mode == 0 ? d : d % ii)]);
        },
        acc);
    gm += og.mu;
    gs += og.sigma;
  }
  own_mu_[i] = gm;
  own_sigma_[i] = gs;
}

/// One parallel pass over fixed chunks of op and edge indices: each op's gradient, gathered in
/// fixed order (own + out-edge + in-edge + memory-entry terms; with_grad only), and the chunk's
/// partial sums of the per-edge and per-op values, then added chunk by chunk in order. Fixed
/// chunks keep every rounding independent of the thread count; one region instead of two keeps
/// the barriers few (each costs a time slice when the machine is oversubscribed).
template <class T>
void CpuLossEngine<T>::gather_and_sum(LossResult& r, bool with_grad) {
  constexpr std::int64_t kChunk = 1024;
  const double rho_d = rho(Term::Dependency), rho_r = rho(Term::Recurrence);
  const double rho_h = rho(Term::Horizon);
  const std::int64_t m = p_.num_edges(), n = p_.num_ops();
  const std::int64_t chunks = (std::max(m, n) + kChunk - 1) / kChunk;
  part_.resize(static_cast<std::size_t>(chunks));
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_) if (parallel())
  for (std::int64_t c = 0; c < chunks; ++c) {
    std::array<double, 7> a{};
    for (std::int64_t x = c * kChunk; x < std::min(m, (c + 1) * kChunk); ++x) {
      const double v = edge_val_[x];
      if (p_.edge_distance[x] == 0) {
        a[0] += v;
        a[1] += augmented_value(lam_edge_[x], rho_d, v);
      } else {
        a[2] += v;
        a[3] += augmented_value(lam_edge_[x], rho_r, v);
      }
      a[4] += comm_val_[x];
    }
    for (op_id j = c * kChunk; j < std::min(n, (c + 1) * kChunk); ++j) {
      a[5] += hval_[j];
      a[6] += augmented_value(lam_op_[j], rho_h, hval_[j]);
      if (!with_grad) continue;
      double gm = own_mu_[j] + gsrc_mu_[j];
      double gs = own_sigma_[j] + gsrc_sigma_[j];
      for (edge_id q = p_.pred_offsets[j]; q < p_.pred_offsets[j + 1]; ++q) {
        const edge_id e = p_.pred_edges[q];
        gm += eg_mu_[e];
        gs += eg_sigma_[e];
      }
      for (edge_id q = model_.mem_pred_offsets[j]; q < model_.mem_pred_offsets[j + 1]; ++q) {
        const edge_id x = model_.mem_pred[q];
        gm += mg_mu_[x];
        gs += mg_sigma_[x];
      }
      grad_mu_[j] = gm;
      grad_sigma_[j] = gs;
    }
    part_[static_cast<std::size_t>(c)] = a;
  }
  std::array<double, 7> e{};
  for (const auto& a : part_)
    for (int k = 0; k < 7; ++k) e[k] += a[k];
  const double h[2] = {e[5], e[6]};
  const auto set = [&r](Term t, double v, double aug) {
    if (!r.computed[static_cast<int>(t)]) return;
    r.value[static_cast<int>(t)] = v;
    r.augmented[static_cast<int>(t)] = aug;
  };
  set(Term::Dependency, e[0], e[1]);
  set(Term::Recurrence, e[2], e[3]);
  set(Term::Communication, e[4], 0.0);
  set(Term::Horizon, h[0], h[1]);
}

}  // namespace
}  // namespace gaus
