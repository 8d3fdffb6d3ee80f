// The six CIRCT problem classes on small random instances: the schedules of host/ssp (with CBC
// for the two limited classes where it is built) against exhaustive search under CIRCT's own
// rules, written here independently of gaus's verifier (lib/Scheduling/Problems.cpp: precedence
// t_i + L_i <= t_j + dist * II, a limit counts operations starting in a step or congruence
// class, chaining start times in cycle); and gaus's verifier against those rules on random
// schedules, legal and not.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "graphs/formats.hpp"
#include "graphs/generate.hpp"
#include "graphs/ssp/ssp_problem.hpp"
#include "host/ssp/solve_ssp.hpp"
#include "host/verify/verify.hpp"
#ifdef GAUS_HAS_CBC
#include "host/ilp/prove_ssp.hpp"
#endif

using namespace gaus;
using namespace gaus::ssp;

namespace {

struct Dep {
  int src, dst, dist;
  bool aux;
};

// A small instance in plain arrays; ops in index order are a topological order of the
// distance-0 dependences.
struct Tiny {
  ProblemClass cls;
  std::vector<int> lat, res;  // res: -1 or a resource type
  std::vector<double> in, out;
  std::vector<int> limit, hold;  // per resource type: units, cycles an op holds one (ii<N>)
  std::vector<Dep> deps;
  double cycle = 0;
  int n() const { return static_cast<int>(lat.size()); }
};

Tiny random_tiny(ProblemClass cls, std::mt19937& rng, int n) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Tiny t{.cls = cls};
  const bool limits = has_limits(cls), chaining = is_chaining(cls), cyclic = is_cyclic(cls);
  t.limit = {pick(1, 2), 1};
  t.hold = {1, limits ? pick(1, 2) : 1};
  for (int i = 0; i < n; ++i) {
    t.lat.push_back(pick(limits ? 1 : 0, 2));
    t.res.push_back(limits ? pick(-1, 1) : -1);
    const double d = 0.5 * pick(0, 6);
    t.in.push_back(d);
    t.out.push_back(t.lat.back() == 0 ? d : 0.5 * pick(0, 4));
  }
  for (int j = 1; j < n; ++j)
    for (int i = 0; i < j; ++i)
      if (pick(0, 2) == 0) t.deps.push_back({i, j, 0, pick(0, 3) == 0});
  if (cyclic)
    for (int k = pick(1, 2); k > 0; --k) {
      const int i = pick(0, n - 1), j = pick(0, i);
      // ChainingCyclic: a def-use dependence has no distance, so loop-carried ones are auxiliary.
      t.deps.push_back({i, j, pick(1, 2), cls == ProblemClass::ChainingCyclic || pick(0, 1) == 0});
    }
  if (chaining) t.cycle = pick(0, 1) == 0 ? 0.0 : 3.0 + pick(0, 2);
  return t;
}

Module to_module(const Tiny& t) {
  Module m;
  m.source = "tiny";
  Instance inst;
  inst.name = "tiny";
  inst.class_name = problem_class_name(t.cls);
  inst.problem_class = t.cls;
  inst.resources = ResourceLibrary{};
  for (std::size_t r = 0; r < t.limit.size(); ++r) {
    inst.resources->types.push_back(ResourceType{"r" + std::to_string(r), t.limit[r]});
    if (t.hold[r] > 1) inst.resources->types.back().ii = t.hold[r];
  }
  for (int i = 0; i < t.n(); ++i) {
    OperatorType ot{.name = "t" + std::to_string(i), .latency = t.lat[i]};
    if (is_chaining(t.cls)) ot.incoming_delay = t.in[i], ot.outgoing_delay = t.out[i];
    inst.library.types.push_back(ot);
    Operation op;
    op.name = "o" + std::to_string(i);
    op.num_results = 1;
    op.operator_ref = SymbolRef{ot.name};
    op.operator_type = TypeRef{-1, i};
    if (t.res[i] >= 0) {
      op.resource_refs.push_back(SymbolRef{"r" + std::to_string(t.res[i])});
      op.resource_types.push_back(TypeRef{-1, t.res[i]});
    }
    inst.operations.push_back(op);
  }
  for (bool aux : {false, true})  // def-use dependences first, as in the dialect
    for (const Dep& d : t.deps)
      if (d.aux == aux) {
        Dependence dep{.auxiliary = d.aux, .source = d.src};
        if (d.dist > 0) dep.distance = d.dist;
        inst.operations[d.dst].dependences.push_back(dep);
      }
  m.instances.push_back(inst);
  return m;
}

// CIRCT's start times in cycle (computeStartTimesInCycle) of t: def-use dependences only.
std::vector<double> circt_z(const Tiny& t, const std::vector<int>& s) {
  std::vector<double> z(t.n(), 0.0);
  for (int j = 0; j < t.n(); ++j)
    for (const Dep& d : t.deps)
      if (d.dst == j && !d.aux && d.dist == 0 && s[d.src] + t.lat[d.src] == s[j])
        z[j] = std::max(z[j], (t.lat[d.src] == 0 ? z[d.src] : 0.0) + t.out[d.src]);
  return z;
}

// CIRCT's verify() of the class, plus the cycle time when one is set.
bool circt_legal(const Tiny& t, const std::vector<int>& s, int ii, const std::vector<double>* z) {
  const bool cyclic = is_cyclic(t.cls);
  for (const Dep& d : t.deps)
    if (s[d.src] + t.lat[d.src] > s[d.dst] + (cyclic ? d.dist * ii : 0)) return false;
  if (has_limits(t.cls))  // an op holds a unit for hold[r] steps (residues mod II) from its start
    for (std::size_t r = 0; r < t.limit.size(); ++r) {
      std::vector<int> busy(64, 0);
      for (int k = 0; k < t.n(); ++k)
        if (t.res[k] == static_cast<int>(r))
          for (int u = 0; u < t.hold[r]; ++u) ++busy[cyclic ? (s[k] + u) % ii : s[k] + u];
      for (int b : busy)
        if (b > t.limit[r]) return false;
    }
  if (is_chaining(t.cls)) {
    const std::vector<double> least = circt_z(t, s);
    const std::vector<double>& zz = z ? *z : least;
    for (const Dep& d : t.deps)
      if (!d.aux && s[d.src] + t.lat[d.src] == s[d.dst] &&
          zz[d.dst] < (t.lat[d.src] == 0 ? zz[d.src] : 0.0) + t.out[d.src] - 1e-9)
        return false;
    for (int i = 0; i < t.n(); ++i)
      if (zz[i] < 0 || (t.cycle > 0 && zz[i] + t.in[i] > t.cycle + 1e-9)) return false;
  }
  return true;
}

struct Best {
  int ii = 0, last = -1;
};

// The smallest II, then the smallest start of the last op, by exhaustive search.
Best exhaustive(const Tiny& t) {
  const bool cyclic = is_cyclic(t.cls);
  for (int ii = cyclic ? 1 : 0; ii <= (cyclic ? 8 : 0); ++ii) {
    int horizon = 1;
    for (int l : t.lat) horizon += std::max(l, 1) + ii + 1;  // + 1: a unit held 2 cycles
    std::vector<int> s(t.n(), 0);
    int best = -1;
    auto dfs = [&](auto&& self, int k) -> void {
      if (k == t.n()) {
        if ((best < 0 || s[k - 1] < best) && circt_legal(t, s, ii, nullptr)) best = s[k - 1];
        return;
      }
      int lo = 0;
      for (const Dep& d : t.deps)
        if (d.dst == k && d.dist == 0) lo = std::max(lo, s[d.src] + t.lat[d.src]);
      for (s[k] = lo; s[k] <= horizon; ++s[k]) {
        if (k == t.n() - 1 && best >= 0 && s[k] >= best) break;
        self(self, k + 1);
      }
    };
    dfs(dfs, 0);
    if (best >= 0) return {ii, best};
  }
  return {};
}

}  // namespace

TEST_CASE("ssp classes: schedules against exhaustive search under CIRCT's rules") {
  std::mt19937 rng(2026);
  int checked = 0, proved = 0;
  for (ProblemClass cls : {ProblemClass::Problem, ProblemClass::Cyclic, ProblemClass::Chaining,
                           ProblemClass::SharedOperators, ProblemClass::Modulo,
                           ProblemClass::ChainingCyclic}) {
#ifndef GAUS_HAS_CBC
    if (has_limits(cls)) continue;  // exact there only with CBC
#endif
    for (int k = 0; k < 16; ++k) {
      const Tiny t = random_tiny(cls, rng, has_limits(cls) ? 5 : 6);
      const std::string name = problem_class_name(cls);
      CAPTURE(name);
      CAPTURE(k);
      const Module m = to_module(t);
      Problem p;
      try {
        p = to_problem(m, m.instances[0], t.cycle);
      } catch (const InputError& e) {
        // A delay past the cycle time: CIRCT's chaining support refuses it too.
        CHECK(std::string(e.what()).find("exceed the cycle time") != std::string::npos);
        continue;
      }
      const Best best = exhaustive(t);
      REQUIRE(best.last >= 0);
      SolveSspOptions o;
      o.gradient = k % 3 == 0;  // SharedOperators: the gradient solver on some
      o.time_limit_s = 0.3;
      SolveSspResult r = solve_ssp(p, cls, t.n() - 1, o);
#ifdef GAUS_HAS_CBC
      ProveOptions po;
      po.seconds = 20;
      if (has_limits(cls) && !r.optimal) {
        ++proved;
        prove_ssp(p, cls, r, po);
      }
#endif
      REQUIRE(r.verification.legal);
      std::vector<int> s(r.schedule.start.begin(), r.schedule.start.end());
      CHECK(circt_legal(t, s, r.schedule.ii, r.schedule.z.empty() ? nullptr : &r.schedule.z));
      CHECK(r.schedule.ii == best.ii);
      CHECK(r.last_start == best.last);
      CHECK(r.optimal);
      ++checked;
    }
  }
  MESSAGE(checked << " instances matched exhaustive search, " << proved
                  << " of them after CBC");
}

TEST_CASE("ssp classes: gaus verify agrees with CIRCT's rules on random schedules") {
  std::mt19937 rng(7);
  int legal = 0, illegal = 0;
  for (ProblemClass cls : {ProblemClass::Problem, ProblemClass::Cyclic, ProblemClass::Chaining,
                           ProblemClass::SharedOperators, ProblemClass::Modulo,
                           ProblemClass::ChainingCyclic}) {
    for (int k = 0; k < 60; ++k) {
      const Tiny t = random_tiny(cls, rng, 5);
      const Module m = to_module(t);
      Problem p;
      try {
        p = to_problem(m, m.instances[0], t.cycle);
      } catch (const InputError&) {
        continue;
      }
      Schedule s;
      for (int i = 0; i < t.n(); ++i)
        s.start.push_back(std::uniform_int_distribution<int>(0, 4)(rng));
      s.ii = is_cyclic(cls) ? std::uniform_int_distribution<int>(1, 4)(rng) : 0;
      std::vector<int> st(s.start.begin(), s.start.end());
      if (is_chaining(cls)) {
        s.z = circt_z(t, st);
        if (k % 2) s.z[k % t.n()] = std::max(0.0, s.z[k % t.n()] - 0.5);  // sometimes too early
      }
      const bool want = circt_legal(t, st, s.ii, is_chaining(cls) ? &s.z : nullptr);
      const std::string name = problem_class_name(cls);
      CAPTURE(name);
      CAPTURE(k);
      CHECK(verify(p, s).legal == want);
      (want ? legal : illegal)++;
    }
  }
  CHECK(legal > 20);
  CHECK(illegal > 100);
}

TEST_CASE("ssp classes: a generated problem through SSP text and back, scheduled by the solver") {
  GenerateOptions g;
  g.ops = 60;
  g.layers = 8;
  g.seed = 11;
  for (ProblemClass cls : {ProblemClass::SharedOperators, ProblemClass::Modulo,
                           ProblemClass::Cyclic}) {
    const std::string name = problem_class_name(cls);
    CAPTURE(name);
    g.loop_carried = is_cyclic(cls) ? 0.05 : 0.0;  // an acyclic class has no distances
    const Problem native = generate_layered(g);
    const Module m = ssp::to_module(native, cls, "gen");
    const std::string text = write_ssp(m);
    Module back = read_ssp(text, "gen.mlir");
    back.source = "gen.mlir";
    CHECK(write_ssp(back) == text);
    const Problem p = to_problem(back, back.instances[0]);
    const Problem q = to_problem(m, m.instances[0]);
    CHECK(write_native_json(p) == write_native_json(q));  // read(write(x)) is the same problem
    CHECK(p.num_ops() == native.num_ops());
    CHECK(p.num_edges() == native.num_edges());
    SolveSspOptions o;
    o.time_limit_s = 0.5;
    const SolveSspResult r = solve_ssp(p, cls, p.num_ops() - 1, o);
    CHECK(r.verification.legal);
    CHECK(r.last_start >= r.last_start_lower_bound);
    if (is_cyclic(cls)) CHECK(r.schedule.ii >= r.ii_lower_bound);
    Module out = back;
    write_schedule(out.instances[0], r.schedule);
    const WrittenSchedule w = written_schedule(read_ssp(write_ssp(out), "s.mlir").instances[0]);
    CHECK(w.missing.empty());
    CHECK(w.schedule.start == r.schedule.start);
    CHECK(verify(p, w.schedule).legal);
  }
}
